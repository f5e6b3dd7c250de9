"""The values a person's record may hold, checked the same way in the admin forms, the HR
import and the command line. Each parser returns the clean value or raises FieldError with a
sentence the admin can act on, in their language."""

import re
from datetime import date, datetime

import jdatetime
from email_validator import EmailNotValidError, validate_email

from ..accounts.models import ROLES
from ..i18n import _

LANGUAGES = ("en", "fa")
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,80}$")
EMPLOYEE_ID = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")
_PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


#: The days a date typed anywhere may name (in Jalali years, late 1278 to late 1479).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class FieldError(ValueError):
    """A value that cannot be stored, and why."""


def clean_text(value):
    """Trimmed text with inner runs of spaces made one; '' for nothing."""
    return " ".join(str(value or "").split())


def parse_email(value):
    """A normalised (lower-case) address, or None when empty."""
    text = clean_text(value)
    if not text:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise FieldError(_("“%(value)s” is not an e-mail address.", value=text)) from None


def parse_employee_id(value):
    text = clean_text(value).translate(_PERSIAN_DIGITS)
    if not text:
        return None
    if not EMPLOYEE_ID.match(text):
        raise FieldError(_("An employee id has up to 64 letters, digits and . _ / - (not “%(value)s”).",
                           value=text))
    return text


def parse_username(value):
    text = clean_text(value)
    if not USERNAME.match(text):
        raise FieldError(_("A username has 2 to 80 letters, digits and . _ @ - (not “%(value)s”).", value=text))
    return text


def parse_name(value):
    text = clean_text(value)
    if not text:
        raise FieldError(_("A name is needed."))
    if len(text) > 120:
        raise FieldError(_("A name has at most 120 characters."))
    return text


ROLE_WORDS = {"agent": "agent", "coach": "coach", "manager": "manager", "admin": "admin",
              "کارشناس": "agent", "مربی": "coach", "مدیر": "manager", "راهبر": "admin"}


def parse_role(value, default="agent"):
    text = clean_text(value).lower()
    if not text:
        return default
    role = ROLE_WORDS.get(text)
    if role not in ROLES:
        raise FieldError(_("The role is one of agent, coach, manager, admin (not “%(value)s”).", value=text))
    return role


def parse_language(value, default="en"):
    text = clean_text(value).lower()
    if not text:
        return default
    language = {"english": "en", "persian": "fa", "farsi": "fa", "فارسی": "fa", "انگلیسی": "en"}.get(text, text)
    if language not in LANGUAGES:
        raise FieldError(_("The language is en or fa (not “%(value)s”).", value=text))
    return language


def parse_day(value):
    """A date from a form, a CSV or a spreadsheet: 2026-03-21, 2026/03/21, or the Jalali
    1405/01/01 an Iranian HR system writes (any year before 1700 is read as Jalali)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value).translate(_PERSIAN_DIGITS)
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
