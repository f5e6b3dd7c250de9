"""The culture pulse's pages: answering it (agents and coaches, once a period) and its report
(managers for their site, admins for any), as a page, CSV or PDF."""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request
from sqlalchemy import select

from .. import db
from ..accounts.identity import home_for, require_user, site_in_view
from ..accounts.models import Team
from ..accounts.permissions import can_take_culture_pulse, can_view_culture
from ..catalog.schema import LENSES
from ..content import current_catalog
from ..db import utcnow
from ..gaps.reports import site_report, site_settings
from ..i18n import _, current_locale, text_direction
from ..learning.drawing import Shown
from ..learning.grading import InvalidSubmission, read_responses
from ..pdf import render_pdf
from . import answering, culture_exports
from .culture_report import BESIDE, culture_report, report_rows, support_gap_shares
from .results import MIN_RESPONDENTS


def _culture():
    culture = current_catalog().culture
    if culture is None:
        abort(404, _("This site has no culture pulse."))
    return culture


@require_user
def answer(user):
    culture = _culture()
    if not can_take_culture_pulse(user):
        abort(403, _("The culture pulse is for a site's agents and coaches."))
    today = utcnow().date()
    due = answering.culture_due(user, culture, today)
    views = [Shown(item, position, None) for position, item in enumerate(culture.items, 1)]
    error = None
    if request.method == "POST" and due:
        error = _send(user, culture, views)
        if error is None:
            flash(_("Thank you. Your answers were added to your group's counts; nobody can see yours."), "info")
            return redirect(home_for(user), 303)
    next_opens = answering.period_start(today, culture.period_days) + timedelta(days=culture.period_days)
    return render_template("lms/pulse/culture.html", culture=culture, views=views, due=due, next_opens=next_opens,
                           error=error, coach=user.role == "coach", lenses=LENSES), 400 if error else 200


def _send(user, culture, views):
    """Count the posted answers; the error to show instead, when nothing could be counted."""
    try:
        responses = read_responses(views, request.form)
    except InvalidSubmission:
        return _("This answer sheet does not match the culture pulse. Nothing was saved; reload the page and try again.")
    if all(value is None for value in responses.values()):
        return _("Rate at least one statement. Nothing was saved.")
    try:
        answering.answer_culture(user, culture, responses)
    except answering.AlreadyAnswered:
        pass  # another tab got there first: nothing is counted twice
    return None


@require_user
def report(user, fmt="html"):
    if not can_view_culture(user):
        abort(403, _("The culture report is for managers."))
    site = site_in_view(user)
    culture = _culture()
    found = culture_report(db.session, site.id, utcnow().date(), culture.period_days)
    teams = dict(db.session.execute(select(Team.id, Team.name).where(Team.site_id == site.id)).all())
    rows = report_rows(found, teams, _("Coaches of the site"), _("Whole site (groups of 5 or more)"))
    gap_report = site_report(db.session, site.id, site_settings(db.session, site.id), dimension=BESIDE)
    gaps = support_gap_shares(gap_report)
    context = dict(site=site, culture=found, rows=rows, gaps=gaps, settings=gap_report.settings, lenses=LENSES,
                   min_respondents=MIN_RESPONDENTS)
    if fmt == "csv":
        return Response(culture_exports.to_csv(found, rows, gaps), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="culture-pulse.csv"'})
    if fmt == "pdf":
        html = render_template("lms/pulse/culture_print.html", lang=current_locale(), dir=text_direction(), **context)
        pdf = render_pdf(html, render_template("lms/gaps/print.css", dir=text_direction()))
        return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": 'inline; filename="culture-pulse.pdf"'})
    if fmt != "html":
        abort(404, _("Reports come as a page, csv or pdf."))
    return render_template("lms/pulse/culture_report.html", **context)
