"""The rules of recognition as plain functions: what a praise record must hold, and which
days a report's month covers (Gregorian, or Jalali for a year written before 1700, as
lms.values.parse_day reads dates)."""

import re
from datetime import date, timedelta

import jdatetime
from babel.dates import format_date

from ..catalog import TOPICS
from ..i18n import _, format_day, localize_digits
from ..i18n import lazy_gettext as _l
from ..values import LATIN_DIGITS, FieldError, Invalid, clean_text, parse_day

#: Where the customer said it.
CHANNELS = {"phone": _l("Phone"), "chat": _l("Chat"), "email": _l("Email"), "social": _l("Social media"),
            "in_person": _l("In person"), "survey": _l("Survey"), "other": _l("Other")}
#: Limits on what is typed: a quote, not a transcript; a case reference as a CRM writes one.
SAID_MAX, CASE_REF_MAX = 1000, 64


def check_praise(said, channel, received_on, case_ref, topic, today):
    """The praise's fields, cleaned: {said, channel, received_on (a date), case_ref (or None),
    topic}; raises Invalid with a sentence per bad field. ``received_on`` may be text (ISO or
    Jalali, Persian digits too) or a date."""
    errors, clean = {}, {}
    clean["said"] = str(said or "").strip()
    if not clean["said"]:
        errors["said"] = _("Write what the customer said.")
    elif len(clean["said"]) > SAID_MAX:
        errors["said"] = _("Keep the customer's words to %(n)s characters.", n=localize_digits(SAID_MAX))
    if channel not in CHANNELS:
        errors["channel"] = _("Choose the channel the customer used.")
    clean["channel"] = channel
    if topic not in TOPICS:
        errors["topic"] = _("Choose what the customer praised.")
    clean["topic"] = topic
    try:
        clean["received_on"] = parse_day(received_on)
    except FieldError as error:
        errors["received_on"] = str(error)
    else:
        if clean["received_on"] is None:
            errors["received_on"] = _("Give the date the customer said it.")
        elif clean["received_on"] > today:
            errors["received_on"] = _("The date %(date)s is in the future.", date=format_day(clean["received_on"]))
    clean["case_ref"] = clean_text(case_ref).translate(LATIN_DIGITS) or None
    if clean["case_ref"] and len(clean["case_ref"]) > CASE_REF_MAX:
        errors["case_ref"] = _("A case reference has at most %(n)s characters.", n=localize_digits(CASE_REF_MAX))
    if errors:
        raise Invalid(errors)
    return clean


def month_of(day, locale):
    """The month ``day`` falls in, in the calendar of ``locale``: (first day, day after the last)."""
    if locale == "fa":
        jalali = jdatetime.date.fromgregorian(date=day)
        return _jalali_month(jalali.year, jalali.month)
    start = day.replace(day=1)
    return start, (start + timedelta(days=32)).replace(day=1)


def _jalali_month(year, month):
    start = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    return start.togregorian(), following.togregorian()


def parse_month(text, today, locale):
    """A ?month=YYYY-MM as (first day, day after the last): Jalali for a year before 1700
    (1405-09 is Azar 1405), Gregorian otherwise; nothing given: this month in the viewer's
    calendar. Raises FieldError for anything else."""
    if not text:
        return month_of(today, locale)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", clean_text(text).translate(LATIN_DIGITS))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise FieldError(_("Give the month as YYYY-MM (not “%(value)s”).", value=text))
    year, month = map(int, match.groups())
    if not 1279 <= year <= 2100 or 1479 < year < 1900:
        raise FieldError(_("There is no such month as %(value)s.", value=text))
    if year < 1700:
        return _jalali_month(year, month)
    start = date(year, month, 1)
    return start, (start + timedelta(days=32)).replace(day=1)


def month_param(start, locale):
    """The ?month= value of the month starting ``start``, in ``locale``'s calendar."""
    if locale == "fa":
        jalali = jdatetime.date.fromgregorian(date=start)
        return f"{jalali.year:04d}-{jalali.month:02d}"
    return f"{start.year:04d}-{start.month:02d}"


def month_title(start, locale):
    """"December 2026", or "آذر ۱۴۰۵" in Persian (the Jalali month)."""
    if locale == "fa":
        jalali = jdatetime.date.fromgregorian(date=start, locale="fa_IR")
        return localize_digits(f"{jalali.strftime('%B')} {jalali.year}", "fa")
    return format_date(start, "LLLL y", locale=locale)


def neighbour_months(start, locale):
    """The ?month= values of the months before and after the one starting ``start``."""
    before = month_of(start - timedelta(days=1), locale)[0]
    after = month_of(start, locale)[1]
    return month_param(before, locale), month_param(after, locale)
