"""The values a person's record may hold, checked the same way in the admin forms, the HR
import and the command line. Each parser returns the clean value or raises FieldError with a
sentence the admin can act on, in their language."""

import re

from email_validator import EmailNotValidError, validate_email

from ..accounts.models import ROLES
from ..i18n import _
from ..values import LATIN_DIGITS, FieldError, clean_text

LANGUAGES = ("en", "fa")
USERNAME = re.compile(r"^[A-Za-z0-9._@-]{2,80}$")
EMPLOYEE_ID = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")


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
    text = clean_text(value).translate(LATIN_DIGITS)
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
