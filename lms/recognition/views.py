"""Recognition pages: record a customer's praise of an agent, acknowledge a colleague's record
(leaders), the month's praise per agent (page and CSV) and the monthly sheet (PDF). Who may
see or do what is checked in every view; an agent out of reach is answered as a missing one."""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for

from .. import db
from ..accounts.identity import require_user, site_in_view
from ..accounts.models import User
from ..accounts.permissions import (
    can_coach, can_praise, can_view_learner, is_leader, praisable, praisable_agents,
    runs_a_site,
)
from ..accounts.views import safe_next
from ..catalog import TOPICS
from ..content import topic_title
from ..db import utcnow
from ..i18n import _, current_locale, isolate, text_direction
from ..pdf import render_pdf
from ..sheets import csv_text
from ..values import FieldError, Invalid
from . import listing, recording
from .forms import PraiseForm
from .models import Praise
from .rules import CHANNELS, month_param, month_title, neighbour_months, parse_month


def _month():
    """The ?month= asked for as (first day, day after the last), and the error when it was no
    month (then this month is shown)."""
    today, locale = utcnow().date(), current_locale()
    try:
        return parse_month(request.args.get("month", ""), today, locale), None
    except FieldError as error:
        return parse_month("", today, locale), str(error)


def _month_or_400():
    (start, end), error = _month()
    if error:
        abort(400, error)
    return start, end


def _reach(user):
    """The agents a leader follows here, and the select of their ids (a site may have
    thousands: they are matched in SQL, not sent back as a list)."""
    query = praisable(user)
    return praisable_agents(user), query.with_only_columns(User.id) if query is not None else []


@require_user
def index(user):
    """An agent: their own praise and the colleagues they may record praise for. A leader: the
    month's praise per agent they follow, and colleagues' records waiting for their backing."""
    if not is_leader(user):
        return render_template("lms/recognition/mine.html", praises=listing.of_agent(user.id),
                               colleagues=praisable_agents(user))
    (start, end), error = _month()
    agents, ids = _reach(user)
    before, after = neighbour_months(start, current_locale())
    return render_template(
        "lms/recognition/report.html", rows=listing.per_agent(agents, ids, start, end),
        teams=listing.team_names(agents), awaiting=listing.awaiting(ids), month=month_param(start, current_locale()),
        title=month_title(start, current_locale()), before=before, after=after, error=error,
        sheet=runs_a_site(user) and user.site_id is not None), (400 if error else 200)


@require_user
def export(user):
    if not is_leader(user):
        abort(403, _("The recognition report is for coaches, managers and admins."))
    start, end = _month_or_400()
    agents, ids = _reach(user)
    teams = listing.team_names(agents)
    sheet = csv_text(
        ["agent_id", "agent", "team", "from", "to", "praise", "backed_by_leader", "last_praise_on"],
        ((agent.id, agent.display_name, teams.get(agent.team_id, ""), start.isoformat(),
          (end - timedelta(days=1)).isoformat(), count, backed, last.isoformat() if last else "")
         for agent, count, backed, last in listing.per_agent(agents, ids, start, end)))
    return Response(sheet, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="praise-{month_param(start, current_locale())}.csv"'})


@require_user
def sheet(user):
    """The month's recognition sheet of the manager's site, ready to print."""
    if not runs_a_site(user):
        abort(403, _("The recognition sheet is for managers."))
    site = site_in_view(user)
    start, end = _month_or_400()
    locale = current_locale()
    html = render_template("lms/recognition/sheet.html", site=site, rows=listing.of_site(site.id, start, end),
                           title=month_title(start, locale), start=start, last=end - timedelta(days=1),
                           lang=locale, dir=text_direction(), printed_on=utcnow().date())
    pdf = render_pdf(html, render_template("lms/recognition/sheet.css"))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="recognition-{month_param(start, locale)}.pdf"'})


def _praisable(user, user_id):
    agent = db.session.get(User, user_id)
    if agent is None or not can_praise(user, agent):
        # The same answer for "no such person" and "not one you may praise": nothing leaks.
        abort(404, _("There is no such agent among the people you work with."))
    return agent


@require_user
def record(user, user_id):
    agent = _praisable(user, user_id)
    form = PraiseForm()
    form.channel.choices = [(key, str(title)) for key, title in CHANNELS.items()]
    form.topic.choices = [(topic, topic_title(topic)) for topic in TOPICS]
    if request.method == "GET":
        form.received_on.data, form.channel.data, form.topic.data = utcnow().date(), "phone", TOPICS[0]
    else:
        fields = {"said": form.said.data, "channel": form.channel.data, "topic": form.topic.data,
                  "received_on": form.received_on.raw_data[0] if form.received_on.raw_data else "",
                  "case_ref": form.case_ref.data}
        try:
            recording.record(user, agent, fields)
        except Invalid as invalid:
            for name, message in invalid.errors.items():  # the rules' sentence, once per field
                form[name].errors = [message]
        else:
            flash(_("The customer's praise of %(name)s is recorded.", name=isolate(agent.display_name)), "info")
            default = (url_for("lms.gaps.person", user_id=agent.id) if can_view_learner(user, agent)
                       else url_for("lms.recognition.index"))
            return redirect(safe_next(request.form.get("next"), default), 303)
    return render_template("lms/recognition/record.html", agent=agent, form=form,
                           next=request.values.get("next", "")), (400 if form.errors else 200)


@require_user
def acknowledge(user, praise_id):
    praise = db.session.get(Praise, praise_id)
    if praise is None or not can_coach(user, praise.agent):
        abort(404, _("There is no such praise among the people you coach."))
    recording.acknowledge(user, praise)
    flash(_("You acknowledged the praise of %(name)s.", name=isolate(praise.agent.display_name)), "info")
    return redirect(safe_next(request.form.get("next"), url_for("lms.recognition.index")), 303)
