"""Languages: the plugin's own Babel domain, the locale of each request, and the
formatting rules for Persian (right-to-left, Jalali dates, Persian digits)."""

from functools import lru_cache
from pathlib import Path

import jdatetime
from babel.dates import format_date as babel_format_date
from flask import current_app, g, has_app_context, request, session
from flask_babel import Domain, force_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from .catalog import pick

TRANSLATIONS = str(Path(__file__).parent / "translations")

#: A domain of its own, so the plugin's strings never clash with a host's catalogue.
lms_domain = Domain(translation_directories=[TRANSLATIONS], domain="lms")


def _catalogue(fallback):
    """This request's plugin catalogue, looked up once by activate(); ``fallback()`` outside a
    plugin request. (flask-babel looks the catalogue up again for every string — a walk of the
    contexts and the locale's name each time, about 50 µs — and a page has dozens: it was a
    quarter of the learning path's time.)"""
    found = g.get("_lms_translations") if has_app_context() else None
    return found if found is not None else fallback()


def _(string, **variables):
    """The plugin's gettext (lms_domain.gettext, with the catalogue looked up once a request)."""
    text = _catalogue(lms_domain.get_translations).ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string, **variables):
    """The plugin's lazy gettext: translated by _() each time it is used as a string."""
    return LazyString(_, string, **variables)


def install_template_gettext(app):
    """Templates' _() and friends as flask-babel installs them, with the catalogue of a plugin
    request looked up once; elsewhere (a host's page) flask-babel's own choice, as before."""
    def current():
        return _catalogue(get_translations)

    @pass_eval_context
    def gettext(eval_context, string, **variables):
        """Jinja's newstyle gettext in one call: its own goes through three (the ``_`` alias,
        the wrapper, the callable), each with Context.call's checks, and a page says dozens."""
        text = current().ugettext(string)
        if eval_context.autoescape:
            text = Markup(text)
        return text % variables  # always formatted, as newstyle does: "%%" is a "%"

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current().ugettext(s),
        ngettext=lambda s, p, n: current().ungettext(s, p, n),
        pgettext=lambda c, s: current().upgettext(c, s),
        npgettext=lambda c, s, p, n: current().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.globals.update(_=gettext, gettext=gettext)


RTL = {"fa"}
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def choose_locale(user=None):
    """The signed-in user's choice, else this browser's choice, else Accept-Language."""
    languages = current_app.config["LMS_LANGUAGES"]
    for candidate in (getattr(user, "locale", None), session.get("lms_locale")):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or current_app.config["LMS_DEFAULT_LOCALE"]


def language_of(person):
    """The language of what is made for ``person`` away from their browser (a printed
    certificate, an e-mail): theirs, else the site's default."""
    languages = current_app.config["LMS_LANGUAGES"]
    return person.locale if person.locale in languages else current_app.config["LMS_DEFAULT_LOCALE"]


def activate(locale):
    """Use the plugin's domain and ``locale`` for the rest of this request, even when a
    host application's own Babel would pick something else."""
    lms_domain.as_default()
    g._lms_locale = locale
    g._lms_force_locale = force_locale(locale)
    g._lms_force_locale.__enter__()
    g._lms_translations = lms_domain.get_translations()


def deactivate(exc=None):
    g.pop("_lms_translations", None)
    forced = g.pop("_lms_force_locale", None)
    if forced is not None:
        forced.__exit__(None, None, None)


def current_locale():
    return g.get("_lms_locale") or current_app.config["LMS_DEFAULT_LOCALE"]


#: (id of a lazy string, locale) -> (the lazy string, its text): see translated().
_TRANSLATED = {}


def translated(lazy):
    """A lazy string that is a module's constant (a topic's or a status's name), in the current
    language, translated once per process and language: flask-babel looks its catalogue up
    again on every use, and a heatmap names thousands of cells. The catalogues do not change
    while the process runs; the entry holds the lazy string, so its id is never reused."""
    locale = g.get("_lms_locale") if has_app_context() else None
    if locale is None:  # not in a plugin request (activate() not called): whatever babel picks
        return str(lazy)
    found = _TRANSLATED.get((id(lazy), locale))
    if found is None:
        found = _TRANSLATED[id(lazy), locale] = (lazy, str(lazy))
    return found[1]


def text_direction(locale=None):
    return "rtl" if (locale or current_locale()) in RTL else "ltr"


def localize_digits(value, locale=None):
    """Persian digits in running text for fa; unchanged for other languages."""
    text = str(value)
    return text.translate(_PERSIAN_DIGITS) if (locale or current_locale()) == "fa" else text


def format_day(value, locale=None):
    """A date for display: Jalali with Persian digits in fa, the locale's medium form otherwise."""
    if value is None:
        return ""
    locale = locale or current_locale()
    if locale == "fa":
        day = value.date() if hasattr(value, "date") else value
        jalali = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
        return localize_digits(f"{jalali.day} {jalali.strftime('%B')} {jalali.year}", "fa")
    return gregorian_day(value, locale)


def gregorian_day(value, locale):
    """The Gregorian date in the language's own words and digits (Persian: ۲۳ نوامبر ۲۰۲۶)."""
    return _gregorian_day(value.date() if hasattr(value, "date") else value, locale)


@lru_cache(maxsize=4096)
def _gregorian_day(day, locale):
    """Babel parses the locale and its pattern on every call, and a page lists dozens of dates;
    the answer depends on nothing but the day and the language, so any process may keep it."""
    return localize_digits(babel_format_date(day, "medium", locale=locale), locale)


def format_percent(fraction, locale=None):
    """85% in English, ۸۵٪ in Persian."""
    if fraction is None:
        return "–"
    locale = locale or current_locale()
    return localize_digits(f"{round(fraction * 100)}{'٪' if locale == 'fa' else '%'}", locale)


def format_decimal(value, places=2, locale=None):
    """0.73 in English, ۰٫۷۳ in Persian (its decimal separator); a negative number keeps its
    minus sign in front in right-to-left text (isolated left to right); "–" for nothing."""
    if value is None:
        return "–"
    locale = locale or current_locale()
    text = f"{abs(value):.{places}f}"
    if locale == "fa":
        text = localize_digits(text.replace(".", "٫"), locale)
    if value >= 0:
        return text
    return f"\u2066\u2212{text}\u2069" if locale in RTL else f"\u2212{text}"


def content_text(texts):
    """Pick a content file's text in the current language (English as the fallback)."""
    return pick(texts, current_locale())


def bdi(value):
    """Text someone typed, set apart from the sentence around it (``<bdi>``), so an English
    question keeps its shape in a Persian page and a Persian name in an English one. (escape()
    rather than Markup.format: a list of names calls it once per row.)"""
    return Markup(f"<bdi>{escape(value)}</bdi>")


def ltr(value):
    """A code, e-mail address, username or number that reads left to right even inside Persian."""
    return Markup('<span class="ltr" dir="ltr">{}</span>').format(value)


def isolate(value):
    """Typed text inside a sentence made in Python (a flash message, a notification, an e-mail):
    between first-strong-isolate marks, which work in plain text as <bdi> does in HTML."""
    return f"\u2068{value}\u2069"
