"""Values people type anywhere (a form, an imported sheet, a URL): the error they get when a
value cannot be used, and the parsers shared below every feature."""

import re
from datetime import date, datetime

import jdatetime

from .i18n import _

#: Persian and Arabic-Indic digits read as the ASCII ones.
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

#: The days a date typed anywhere may name (in Jalali years, late 1278 to late 1479).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class FieldError(ValueError):
    """A value that cannot be stored, and why."""


class Invalid(ValueError):
    """Values that cannot be stored: ``errors`` maps each field to a sentence."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    def show_on(self, form):
        """Put each error under its field of ``form`` (or above the form when it has none)."""
        for name, message in self.errors.items():
            (form[name].errors if name in form else form.form_errors).append(message)


def clean_text(value):
    """Trimmed text with inner runs of spaces made one; '' for nothing."""
    return " ".join(str(value or "").split())


def parse_day(value):
    """A date from a form, a CSV or a spreadsheet: 2026-03-21, 2026/03/21, or the Jalali
    1405/01/01 an Iranian HR system writes (any year before 1700 is read as Jalali)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value).translate(LATIN_DIGITS)
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if not match:
        raise FieldError(_("Write the date as YYYY-MM-DD, or as a Jalali 1405/01/01 (not “%(value)s”).",
                           value=text))
    year, month, day = map(int, match.groups())
    try:
        if year < 1700:
            found = jdatetime.date(year, month, day).togregorian()
        else:
            found = date(year, month, day)
    except ValueError:
        raise FieldError(_("There is no such day as %(value)s.", value=text)) from None
    if not FIRST_DAY <= found <= LAST_DAY:
        # 0001-01-01 is a real date, but no training happened then, and reports that
        # measure time from it (or to 9999) overflow.
        raise FieldError(_("Give a date between 1900 and 2100 (not “%(value)s”).", value=text))
    return found
