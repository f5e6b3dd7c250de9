"""Values read from a URL, a query string or a form: ids, whole numbers and days.

Every id a person can type reaches the database as a bound parameter, and PostgreSQL's
``integer`` holds 1..2^31-1: a larger one makes the query itself fail (a 500, and an aborted
transaction), so ids outside that range are refused here, before any query. Only ASCII digits
count: ``"²".isdigit()`` is true, yet ``int("²")`` raises."""

import re
from datetime import datetime, time

from flask import abort, request
from werkzeug.routing import BaseConverter, ValidationError

from .i18n import _
from .values import FieldError, parse_day

#: The largest value of the database's ``integer`` column (PostgreSQL, and every id here).
MAX_ID = 2**31 - 1
_WHOLE = re.compile(r"[0-9]{1,10}")


def whole_number(raw, low=0, high=MAX_ID):
    """``raw`` as an int when it is ASCII digits within low..high, else None."""
    text = str(raw if raw is not None else "").strip()
    if not _WHOLE.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def parse_id(raw):
    """A row id (1..2^31-1) from text, or None when it cannot be one."""
    return whole_number(raw, 1, MAX_ID)


def form_id(value):
    """``coerce`` for id choices in WTForms: a value that is no id is a ValueError, which
    the form shows as an error on the field instead of a query that fails."""
    number = parse_id(value)
    if number is None:
        raise ValueError(_("Not a valid choice."))
    return number


def optional_form_id(value):
    """``form_id`` for a choice that may be left empty (None)."""
    return None if value in (None, "", "None") else form_id(value)


def id_arg(name):
    """``?name=<id>`` as an int; None when absent; 400 when it is no id."""
    raw = request.args.get(name, "")
    if not raw:
        return None
    number = parse_id(raw)
    if number is None:
        abort(400, _("%(name)s must be a whole number.", name=name))
    return number


def whole_number_arg(name, default, low=0, high=MAX_ID):
    """``?name=<n>`` (a page number, say) within low..high; 400 otherwise."""
    raw = request.args.get(name, "")
    if not raw:
        return default
    number = whole_number(raw, low, high)
    if number is None:
        abort(400, _("%(name)s must be a whole number from %(low)s.", name=name, low=low))
    return number


def day_param(name, end_of_day=False):
    """``?name=YYYY-MM-DD`` (or the Jalali YYYY/MM/DD a Persian date input sends) as the start
    (or end) of that day; None when absent; 400 when it is not a real date (or outside the
    years parse_day accepts)."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        day = parse_day(raw)
    except FieldError as error:
        abort(400, str(error))
    return datetime.combine(day, time.max if end_of_day else time.min)


class IdConverter(BaseConverter):
    """``<lms_id:name>`` in a route: ASCII digits for an id in 1..2^31-1; anything else does not
    match, so the page answers 404 like any unknown address."""

    regex = r"[0-9]{1,10}"
    part_isolating = True
    low = 1

    def to_python(self, value):
        number = whole_number(value, self.low, MAX_ID)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(int(value))


class IndexConverter(IdConverter):
    """``<lms_index:name>``: the same, from 0 (a numbered list, not a row)."""

    low = 0


def register_converters(app):
    """Called by init_app before the blueprints: their rules name ``lms_id`` / ``lms_index``."""
    app.url_map.converters.update(lms_id=IdConverter, lms_index=IndexConverter)
