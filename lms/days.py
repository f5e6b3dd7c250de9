"""Dates people type: a native date input in English, a Jalali one in Persian.

Browsers' date pickers are Gregorian only, so in Persian the field is a text input that
shows and takes the Jalali date (year/month/day, Persian or Latin digits). Either way the
value read is the Gregorian day; ISO dates are understood in both languages, so links and
bookmarks keep working."""

from datetime import date

import jdatetime
from markupsafe import Markup
from wtforms import Field

from .i18n import _, current_locale, localize_digits
from .values import FieldError, parse_day


def typed_day(day, locale=None):
    """A day as a date input shows it: ISO for the native input, Jalali in Persian digits in fa."""
    if day is None:
        return ""
    if (locale or current_locale()) == "fa":
        return localize_digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"), "fa")
    return day.isoformat()


def typed_param(raw):
    """A ?from=/?to= value as its date input shows it again (unchanged when it is no date)."""
    try:
        return typed_day(parse_day(raw))
    except FieldError:
        return raw or ""


def day_input(name, value="", id=None, **attrs):
    """The date input for the current language: ``<input type=date>``, or in fa a Jalali text
    input with its format spelled out for everyone (screen readers through aria-describedby)."""
    id = id or name
    attrs = {"id": id, "name": name, "value": value, **attrs}
    hint = ""
    if current_locale() == "fa":
        attrs.update({"type": "text", "dir": "ltr", "class": "jalali-day", "autocomplete": "off",
                      "placeholder": typed_day(date(2026, 3, 21)), "aria-describedby": f"{id}-format"})
        hint = Markup('<span class="small muted day-format" id="{}">{}</span>').format(
            f"{id}-format", _("Year/month/day in the Jalali calendar"))
    else:
        attrs["type"] = "date"
    shown = Markup(" ").join(Markup('{}="{}"').format(k.rstrip("_"), v) for k, v in attrs.items()
                             if v is not False and v is not None)
    return Markup("<input {}>{}").format(shown, hint)


class DayWidget:
    def __call__(self, field, **kwargs):
        return day_input(field.name, field._value(), id=kwargs.pop("id", field.id), **kwargs)


class DayField(Field):
    """A date field whose input is Jalali in Persian; ``data`` is a Gregorian ``date``."""

    widget = DayWidget()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return typed_day(self.data)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = parse_day(valuelist[0])  # a FieldError is a ValueError: WTForms shows it


TEMPLATE_HELPERS = {"day_input": day_input, "typed_param": typed_param}
