"""The support pulse page: an agent rates what their leaders did, once per period."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for

from ..accounts.identity import require_user
from ..accounts.permissions import can_take_pulse
from ..content import current_catalog
from ..db import utcnow
from ..i18n import _
from ..learning.drawing import Shown
from ..learning.grading import InvalidSubmission, read_responses
from . import answering


def _pulse():
    pulse = current_catalog().pulse
    if pulse is None:
        abort(404, _("This site has no support pulse."))
    return pulse


@require_user
def pulse(user):
    pulse = _pulse()
    if not can_take_pulse(user):
        abort(403, _("The support pulse is for agents of a team: it asks about their coach and team lead."))
    today = utcnow().date()
    next_opens = answering.period_start(today, pulse.period_days) + timedelta(days=pulse.period_days)
    due = answering.is_due(user, pulse, today)
    views = [Shown(item, position, None) for position, item in enumerate(pulse.items, 1)]
    if request.method == "POST" and due:
        try:
            answering.answer(user, pulse, read_responses(views, request.form))
        except InvalidSubmission:
            abort(400, _("This answer sheet does not match the pulse. Nothing was saved; reload it and try again."))
        except answering.AlreadyAnswered:
            pass  # another tab got there first: nothing is counted twice
        flash(_("Thank you. Your answers were counted with your team's; nobody can see yours."), "info")
        return redirect(url_for("lms.coaching.todo"), 303)
    return render_template("lms/pulse/pulse.html", pulse=pulse, views=views, due=due, next_opens=next_opens)
