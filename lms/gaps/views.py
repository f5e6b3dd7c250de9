"""Gap report pages and exports: an agent's grid, a team's heatmap, the site's heatmap,
the evidence behind each cell, CSV and PDF. Who may see what is checked in every view."""

from dataclasses import asdict

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from sqlalchemy import select

from .. import db
from ..audit import trail
from ..accounts.identity import require_user, site_in_view
from ..accounts.models import Team, User
from ..accounts.permissions import (
    can_coach,
    can_manage_site_settings,
    can_praise,
    can_view_learner,
    can_view_team,
    is_agent,
    is_leader,
    runs_a_site,
    visible_teams,
)
from ..catalog import DIMENSIONS, TOPICS
from ..coaching.assigning import open_by_target
from ..content import current_catalog
from ..db import utcnow
from ..features import ask
from ..i18n import _, current_locale, text_direction
from ..params import day_param
from ..pdf import render_pdf
from ..recognition import listing as praise
from . import exports
from .refolding import refold_site_later
from .forms import GapSettingsForm
from .models import GapSetting
from .queries import cell_evidence
from .remedies import remedies
from .reports import (
    agent_report,
    load_team_context,
    settings_from_row,
    site_settings,
    site_report,
    team_report,
)
from .scoring import weight


#: The latest customer praise an agent's gap page shows (the recognition page has the rest).
PRAISE_SHOWN = 5


def _as_of():
    """The report's moment: the end of the day given as ?as_of=YYYY-MM-DD, or None for now
    (today included: its end is still to come)."""
    moment = day_param("as_of", end_of_day=True)
    if moment is None or moment.date() == utcnow().date():
        return None
    if moment.date() > utcnow().date():
        abort(400, _("as_of cannot be in the future."))
    return moment


def _render(report_kind, report, fmt, template, **context):
    """HTML page, CSV or PDF of the same report."""
    context.update(report=report, topics=TOPICS, dimensions=DIMENSIONS, kind=report_kind)
    if fmt == "csv":
        sheet = exports.to_csv(report, report_kind, context.get("pulse_rows", ()), exports.agent_teams(db.session, report))
        return Response(sheet, mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="gaps-{report_kind}.csv"'})
    if fmt == "pdf":
        html = render_template("lms/gaps/print.html", body=template, lang=current_locale(),
                               dir=text_direction(), **context)
        pdf = render_pdf(html, render_template("lms/gaps/print.css", dir=text_direction()))
        return Response(pdf, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="gaps-{report_kind}.pdf"'})
    if fmt != "html":
        abort(404, _("Reports come as a page, csv or pdf."))
    return render_template(f"lms/gaps/{template}", **context)


@require_user
def home(user):
    """An agent's own grid; leaders go to the widest report they may see."""
    if is_agent(user):
        return redirect(url_for("lms.gaps.person", user_id=user.id))
    if runs_a_site(user):
        return redirect(url_for("lms.gaps.site"))
    teams = visible_teams(user)
    if len(teams) == 1:
        return redirect(url_for("lms.gaps.team", team_id=teams[0].id))
    return render_template("lms/gaps/teams.html", teams=teams)


@require_user
def person(user, user_id, fmt="html"):
    learner = db.session.get(User, user_id)
    if learner is None or not can_view_learner(user, learner):
        abort(404, _("There is no such person among the people you follow."))
    report = agent_report(db.session, learner, site_settings(db.session, learner.site_id), _as_of(), learner.display_name)
    agent = report.agents[0]
    advice = [(cell, remedies(current_catalog(), cell.topic, cell.dimension)) for cell in agent.grid.gaps()]
    coaching = can_coach(user, learner)
    return _render("agent", report, fmt, "person.html", learner=learner, agent=agent, advice=advice,
                   own=user.id == learner.id, coaching=coaching,
                   assigned=open_by_target(learner.id) if coaching else {},
                   praises=praise.of_agent(learner.id, PRAISE_SHOWN) if fmt == "html" else (),
                   may_praise=can_praise(user, learner, coaching))


@require_user
def cell(user, user_id, topic, dimension):
    learner = db.session.get(User, user_id)
    if learner is None or not can_view_learner(user, learner):
        abort(404, _("There is no such person among the people you follow."))
    if topic not in TOPICS or dimension not in DIMENSIONS:
        abort(404, _("There is no such topic or dimension."))
    settings = site_settings(db.session, learner.site_id)
    report = agent_report(db.session, learner, settings, _as_of())
    coaching = can_coach(user, learner)
    now = report.computed_at
    rows = cell_evidence(db.session, now, settings, learner.id, topic, dimension)
    weighted = [(row, weight((now - row.at).total_seconds() / 86400, settings.half_life_days)) for row in rows]
    return render_template("lms/gaps/cell.html", learner=learner, report=report, topic=topic, dimension=dimension,
                           cell=report.agents[0].grid.cell(topic, dimension), rows=weighted,
                           remedies=remedies(current_catalog(), topic, dimension), items=current_catalog().items,
                           roleplays=current_catalog().roleplays, coaching=coaching,
                           assigned=open_by_target(learner.id) if coaching else {})


@require_user
def team(user, team_id, fmt="html"):
    if not is_leader(user):
        abort(403, _("Team pages are for coaches, managers and admins."))
    team, setting_row, coached = load_team_context(db.session, team_id, user)
    if team is None or not can_view_team(user, team, coached):  # "no such" and "not yours" alike
        abort(404, _("There is no such team."))
    report = team_report(db.session, team.id, settings_from_row(setting_row), _as_of(), team.name)
    return _render("team", report, fmt, "team.html", team=team, **ask("pulse_beside_gaps", [team.id], {team.id: team.name}))


@require_user
def site(user, fmt="html"):
    if not runs_a_site(user):
        abort(403, _("The site report is for managers."))
    site = site_in_view(user)
    report = site_report(db.session, site.id, site_settings(db.session, site.id), _as_of(), site.name)
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.site_id == site.id))}
    return _render("site", report, fmt, "site.html", site=site, teams=teams,
                   **ask("pulse_beside_gaps", teams, {t.id: t.name for t in teams.values()}, _("Whole site (teams of 5 or more)")))


@require_user
def settings(user):
    if not can_manage_site_settings(user):
        abort(403, _("Gap settings are for managers."))
    row = db.session.get(GapSetting, user.site_id)
    form = GapSettingsForm(obj=settings_from_row(row))
    if form.validate_on_submit():
        before = settings_from_row(row)
        row = row or GapSetting(site_id=user.site_id)
        form.populate_obj(row)
        row.threshold = float(form.threshold.data)
        row.updated_at = utcnow()
        db.session.add(row)
        db.session.flush()
        old, new = trail.changes(asdict(before), asdict(settings_from_row(row)))
        if new:
            trail.record("settings.gaps", user, target=f"site:{user.site_id}", before=old, after=new,
                         site_id=user.site_id)
        half_life = before.half_life_days
        if row.half_life_days != half_life:
            # The site's running sums were weighed with the old half-life: fold them again, in
            # the background once this commits (a large site takes seconds).
            refold_site_later(user.site_id, row.updated_at)
        db.session.commit()
        flash(_("Settings saved. Every report now uses them."), "info")
        return redirect(url_for("lms.gaps.settings"), 303)
    return render_template("lms/gaps/settings.html", form=form), (400 if form.errors else 200)
