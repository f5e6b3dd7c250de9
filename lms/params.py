"""Query-string parameters shared by report and certificate pages."""

from datetime import datetime, time

from flask import abort, request

from .i18n import _


def day_param(name, end_of_day=False):
    """``?name=YYYY-MM-DD`` as the start (or end) of that day; None when absent; 400 when
    it is not a real date."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        abort(400, _("Dates are written as YYYY-MM-DD, for example 2026-11-23."))
    return datetime.combine(day, time.max if end_of_day else time.min)
