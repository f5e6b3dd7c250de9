"""Dates people type: a native date input in English, a Jalali one in Persian (Persian or
Latin digits), both read as the Gregorian day; the report filters take either."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from lms import i18n
from lms.days import DayField

from .conftest import signed_in


class _DayForm(Form):
    day = DayField("Day")


def _form(app, locale, typed=None, day=None):
    """The form as the view would build it in ``locale``: from what was typed, or from a stored day."""
    with app.test_request_context():
        i18n.activate(locale)
        try:
            form = _DayForm(MultiDict({"day": typed})) if typed is not None else _DayForm(day=day)
            return form, str(form.day())
        finally:
            i18n.deactivate()


@pytest.mark.parametrize("typed", ["۱۴۰۵/۱۰/۰۱", "1405/10/1", "١٤٠٥-١٠-٠١", " ۱۴۰۵.۱۰.۰۱ ", "2026-12-22"])
def test_a_typed_day_is_read_as_its_gregorian_day(app, typed):
    for locale in ("fa", "en"):
        form, _html = _form(app, locale, typed=typed)
        assert form.day.data == date(2026, 12, 22) and not form.day.process_errors, (locale, typed)


@pytest.mark.parametrize("typed", ["1405/13/01", "1405/12/31", "next friday", "22/12/2026"])
def test_a_typed_non_day_is_an_error_on_the_field(app, typed):
    form, _html = _form(app, "fa", typed=typed)
    assert not form.validate() and form.day.errors


def test_persian_shows_a_jalali_text_input_and_english_the_native_date_input(app):
    _form_fa, fa = _form(app, "fa", day=date(2026, 12, 22))
    assert 'type="text"' in fa and 'value="۱۴۰۵/۱۰/۰۱"' in fa and 'aria-describedby="day-format"' in fa
    assert 'id="day-format"' in fa and 'dir="ltr"' in fa
    _form_en, en = _form(app, "en", day=date(2026, 12, 22))
    assert 'type="date"' in en and 'value="2026-12-22"' in en and "day-format" not in en


def test_the_audit_filter_takes_a_jalali_day_and_shows_it_back(app, make_user):
    make_user("admin-fa", role="admin", locale="fa")
    admin = signed_in(app, "admin-fa")
    page = admin.get("/admin/audit/?from=2026-03-21&to=۱۴۰۵/۰۹/۰۱").get_data(as_text=True)
    assert 'value="۱۴۰۵/۰۱/۰۱"' in page and 'value="۱۴۰۵/۰۹/۰۱"' in page
    assert admin.get("/admin/audit/?from=1405/13/40").status_code == 400
