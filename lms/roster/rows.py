"""One row of an HR export, its cells parsed by the shared field rules (lms/people/fields.py);
each bad cell becomes an error naming its column."""

import re

from ..i18n import _
from ..people.fields import parse_email, parse_employee_id, parse_language, parse_name, parse_role, parse_username
from ..values import FieldError, clean_text, parse_day

#: How an HR system writes "still here" and "has left".
STATUS_WORDS = {"active": True, "yes": True, "current": True, "employed": True, "فعال": True, "شاغل": True,
                "left": False, "leaver": False, "inactive": False, "terminated": False, "no": False,
                "غیرفعال": False, "ترککار": False, "ترکخدمت": False, "اخراج": False}


def parse_status(value):
    """True (active), False (has left) or None (not said)."""
    text = clean_text(value)
    if not text:
        return None
    status = STATUS_WORDS.get(re.sub(r"[\s\u200c]+", "", text.lower()))
    if status is None:
        raise FieldError(_("The status is active or left (not “%(value)s”).", value=text))
    return status


def parse_place(value):
    """A site or team name, or None."""
    text = clean_text(value)
    if len(text) > 120:
        raise FieldError(_("A site or team name has at most 120 characters."))
    return text or None


def parse_teams(value):
    """Team names separated by commas or semicolons (Persian commas too)."""
    names = [clean_text(part) for part in re.split(r"[,;،؛]", str(value or ""))]
    for name in names:
        parse_place(name)
    return [name for name in names if name]


PARSERS = {
    "employee_id": parse_employee_id,
    "email": parse_email,
    "display_name": parse_name,
    "role": lambda v: parse_role(v, default=None),
    "locale": lambda v: parse_language(v, default=None),
    "hired_on": parse_day,
    "username": lambda v: parse_username(v) if clean_text(v) else None,
    "site": parse_place,
    "team": parse_place,
    "coach_of": parse_teams,
    "active": parse_status,
}
#: The reading's field names -> the person's.
SOURCE = {"name": "display_name", "status": "active"}


class ParsedRow:
    """A row's clean values (``cells``) and its errors as (column header, message)."""

    def __init__(self, number, columns):
        self.number, self.columns = number, columns
        self.cells, self.errors, self.person = {}, [], None
        self.key_column = columns.get("employee_id") or columns["email"]
        self.raw_keys = set()

    def error(self, column, message):
        self.errors.append((column, message))


def parse_row(number, raw, columns):
    """``raw``: {reading field: cell} of one row; ``columns``: reading field -> header."""
    row = ParsedRow(number, columns)
    for source, value in raw.items():
        key = SOURCE.get(source, source)
        try:
            row.cells[key] = PARSERS[key](value)
        except FieldError as error:
            row.error(columns[source], str(error))
    row.raw_keys = {clean_text(raw.get("employee_id")), clean_text(raw.get("email")).lower()} - {""}
    key_columns = {columns.get("employee_id"), columns.get("email")}
    bad_key = any(column in key_columns for column, _message in row.errors)
    if not row.cells.get("employee_id") and not row.cells.get("email") and not bad_key:
        row.error(row.key_column, _("Each person needs an employee id or an e-mail address."))
    return row
