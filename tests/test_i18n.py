"""Persian formatting rules, the compiled catalogue, and translation per request."""

from datetime import date
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import render_template_string

from lms import i18n
from lms.i18n import format_day, format_percent, lazy_gettext, localize_digits

CATALOGUE = Path(__file__).parent.parent / "lms" / "translations" / "fa" / "LC_MESSAGES"


def test_persian_dates_are_jalali_with_persian_digits(app):
    with app.test_request_context():
        assert format_day(date(2026, 11, 23), "fa") == "۲ آذر ۱۴۰۵"
        assert format_day(date(2026, 11, 23), "en") == "Nov 23, 2026"


def test_digits_and_percentages_follow_the_language(app):
    with app.test_request_context():
        assert localize_digits(2026, "fa") == "۲۰۲۶" and localize_digits(2026, "en") == "2026"
        assert format_percent(0.85, "fa") == "۸۵٪" and format_percent(0.85, "en") == "85%"


def test_the_persian_catalogue_is_complete_and_compiled():
    with open(CATALOGUE / "lms.po", "rb") as po_file, open(CATALOGUE / "lms.mo", "rb") as mo_file:
        po, mo = read_po(po_file), read_mo(mo_file)
    missing = [m.id for m in po if m.id and not m.string]
    assert missing == []
    assert {m.id: m.string for m in po if m.id} == {m.id: m.string for m in mo if m.id}, "run pybabel compile"


def test_every_page_string_is_in_the_catalogue():
    """A string added to a template or view without updating lms.po would show in English."""
    import subprocess
    import sys
    import tempfile

    root = Path(__file__).parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "lms.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(root / "babel.cfg"),
                        "-k", "_", "-k", "lazy_gettext", "-k", "_l", "-o", str(pot), "."],
                       check=True, capture_output=True, cwd=root)
        with open(pot, "rb") as pot_file, open(CATALOGUE / "lms.po", "rb") as po_file:
            wanted = {m.id for m in read_po(pot_file) if m.id}
            have = {m.id for m in read_po(po_file) if m.id}
    assert len(wanted) > 100 and sorted(wanted - have) == []


def test_decimals_read_right_in_both_languages():
    from lms.i18n import format_decimal

    assert format_decimal(0.734, 2, "en") == "0.73" and format_decimal(-0.25, 2, "en") == "\u22120.25"
    assert format_decimal(0.734, 2, "fa") == "۰٫۷۳"
    assert format_decimal(-6.92, 1, "fa") == "\u2066\u2212۶٫۹\u2069"  # the minus stays in front, isolated
    assert format_decimal(None) == "–"


def test_code_templates_and_lazy_strings_follow_the_language_of_each_request(app):
    title = lazy_gettext("Item analysis")
    for locale, expected in (("fa", "تحلیل سؤال‌ها"), ("en", "Item analysis"), ("fa", "تحلیل سؤال‌ها")):
        with app.test_request_context():
            i18n.activate(locale)
            try:
                assert i18n._("Item analysis") == expected and str(title) == expected
                assert render_template_string('{{ _("Item analysis") }}') == expected
                assert i18n._("%(done)s of %(total)s", done=1, total=2) == ("1 از 2" if locale == "fa" else "1 of 2")
                # The names kept per process (translated) are kept per language too.
                assert i18n.translated(title) == expected
            finally:
                i18n.deactivate()


def test_template_strings_are_formatted_and_escaped_as_jinjas_newstyle_gettext_does(app):
    """Templates' _() (one call, not Jinja's three): the translation, its variables escaped in
    HTML and left alone in plain text, "%%" a percent sign with or without variables."""
    name = "<b>Ali</b>"
    with app.test_request_context():
        i18n.activate("fa")
        try:
            assert render_template_string('{{ _("Item analysis") }}|{{ gettext("Item analysis") }}') == \
                "تحلیل سؤال‌ها|تحلیل سؤال‌ها"
            html = '{{ _("Reread: %(lesson)s", lesson=name) }}|{{ _("100%% sure") }}'
            rendered = render_template_string(html, name=name)
            assert rendered == i18n._("Reread: %(lesson)s", lesson="&lt;b&gt;Ali&lt;/b&gt;") + "|100% sure"
            assert rendered.startswith("دوباره بخوانید: ")
            text = app.jinja_env.from_string('{% autoescape false %}' + html + '{% endautoescape %}').render(name=name)
            assert "<b>Ali</b>" in text and text.endswith("|100% sure")
        finally:
            i18n.deactivate()
