"""Query-string parameters shared by report and certificate pages."""

from datetime import datetime, time

from flask import abort, request

from .people.fields import FieldError, parse_day


def day_param(name, end_of_day=False):
    """``?name=YYYY-MM-DD`` (or the Jalali YYYY/MM/DD a Persian date input sends) as the start
    (or end) of that day; None when absent; 400 when it is not a real date."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        day = parse_day(raw)
    except FieldError as error:
        abort(400, str(error))
    return datetime.combine(day, time.max if end_of_day else time.min)
