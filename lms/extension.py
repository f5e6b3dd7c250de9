"""The ``LMS`` Flask extension: mount CX Academy into any Flask app.

    from lms import LMS
    LMS().init_app(app, url_prefix="/training")
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, generate_csrf
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.utils import import_string

from . import db, events, features, i18n, ops
from .accounts import feature as accounts
from .accounts.identity import current_lms_user, home_for
from .accounts.kept_forms import expired_form
from .accounts.permissions import TEMPLATE_RULES
from .accounts.sessions import load_session_user
from .accounts.views import require_new_password
from .audit import feature as audit
from .catalog import Catalog, ContentError, load_catalog
from .coaching import feature as coaching
from .effect import feature as effect
from .config import DEFAULTS
from .credentials import feature as credentials
from .failures import database_usable, without_database
from .days import TEMPLATE_HELPERS as DAY_HELPERS
from .gaps import feature as gaps
from .i18n import _
from .item_analysis import feature as item_analysis
from .jobs import feature as jobs
from .learning import feature as learning
from .lti import feature as lti
from .outbox import feature as outbox
from .people import feature as people
from .pulse import feature as pulse
from .question_import import feature as question_import
from .recognition import feature as recognition
from .roleplays import feature as roleplays
from .roster import feature as roster
from .params import register_converters
from .selfreview import feature as selfreview
from .security import add_security_headers, check_csrf, limit_request_size, too_large_message
from .teams import feature as teams
from .xapi import feature as xapi

#: Every feature, in the order its URLs are mounted and its consequences run (a module's
#: certificate is issued before the statements about it are queued). Each declares itself in
#: its own feature.py; a new feature is one more line here.
FEATURES = [m.FEATURE for m in (accounts, learning, teams, roleplays, selfreview, gaps, credentials, coaching, effect,
                                pulse, recognition, item_analysis, question_import, audit, roster, people, lti, xapi,
                                outbox, jobs)]


@dataclass
class LMSState:
    """What the plugin keeps on ``app.extensions["lms"]``. When the content does not load,
    ``catalog`` is None and every plugin page answers 503 with the problems: nothing is
    served half-loaded, and ``flask lms check-content`` can still report them."""

    catalog: Catalog | None
    content_error: ContentError | None = None
    #: The main menu's markup by language, mount point and rights (see _main_menu).
    menus: dict = field(default_factory=dict)
    #: The page frame's own addresses by mount point (see _frame_links).
    frame_links: dict = field(default_factory=dict)


class LMS:
    """The extension object; it holds no app, so one object can serve many apps."""

    def init_app(self, app, url_prefix=None):
        for key, value in DEFAULTS.items():
            app.config.setdefault(key, value)
        if isinstance(app.config["LMS_CURRENT_USER"], str):  # "package.module:function" from the environment
            app.config["LMS_CURRENT_USER"] = import_string(app.config["LMS_CURRENT_USER"].replace(":", "."))
        if "sqlalchemy" not in app.extensions:
            raise RuntimeError("CX Academy needs Flask-SQLAlchemy: call SQLAlchemy().init_app(app) first.")
        app.extensions["lms"] = _load_state(app)
        with app.app_context():
            db.track_writes(app.extensions["sqlalchemy"].engine)
        register_converters(app)  # <lms_id:...> before any URL rule uses it
        ops.init_app(app)  # health, request ids and logs, metrics: they answer even without content
        self._init_babel(app)
        self._init_login(app)
        features.init_app(app, FEATURES)
        events.init_app(app, FEATURES)
        app.register_blueprint(_make_blueprint(), url_prefix=url_prefix or app.config["LMS_URL_PREFIX"] or None)

        from .cli import lms_cli

        app.cli.add_command(lms_cli)

    @staticmethod
    def _init_babel(app):
        if "babel" not in app.extensions:
            Babel(app)  # plugin pages force their own locale (i18n.activate) either way
        i18n.install_template_gettext(app)

    @staticmethod
    def _init_login(app):
        if app.config["LMS_CURRENT_USER"] is not None:
            return
        if getattr(app, "login_manager", None) is not None:
            raise RuntimeError(
                "This app already has a Flask-Login LoginManager: set LMS_CURRENT_USER to a callable that "
                "returns the signed-in user as lms.HostUser, and CX Academy will use it.")
        manager = LoginManager(app)
        manager.login_view = "lms.accounts.login"
        manager.user_loader(load_session_user)


def _load_state(app):
    try:
        return LMSState(load_catalog(app.config["LMS_CONTENT_ROOT"]))
    except ContentError as error:
        app.logger.error("CX Academy content did not load; its pages answer 503:\n%s", error)
        return LMSState(None, error)


def _refuse_without_content():
    error = current_app.extensions["lms"].content_error
    if error is not None:
        return render_template("lms/error.html", title=_("Training content is unavailable"),
                               message=_("The training content has errors, so nothing is served until they are "
                                         "fixed. Run “flask lms check-content” for the details."),
                               status=503), 503
    return None


def _make_blueprint():
    """The parent blueprint ``lms``; features nest inside, so endpoints read lms.<feature>.<view>."""
    bp = Blueprint("lms", __name__, template_folder="templates", static_folder="static",
                   static_url_path="/lms-static")
    for feature in FEATURES:
        if feature.blueprint is not None:
            bp.register_blueprint(feature.blueprint)
    bp.before_request(_activate_locale)
    bp.before_request(_refuse_without_content)
    bp.before_request(limit_request_size)
    bp.before_request(check_csrf)
    bp.before_request(require_new_password)
    bp.teardown_request(i18n.deactivate)
    bp.teardown_request(db.end_read_only_transaction)
    bp.after_request(add_security_headers)
    bp.context_processor(_template_globals)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(CSRFError, _csrf_refused)
    return bp


def _activate_locale():
    i18n.activate(i18n.choose_locale(current_lms_user() if database_usable() else None))


def _template_globals():
    locale = i18n.current_locale()
    user = current_lms_user() if database_usable() else None
    return {
        "lms_user": user,
        "lms_home": home_for(user),
        "can": _CAN,
        "lms_unread": user.unread_notifications if user else 0,
        "lms_locale": locale,
        "lms_dir": i18n.text_direction(locale),
        "lms_languages": current_app.config["LMS_LANGUAGES"],
        "lms_base": current_app.config["LMS_BASE_TEMPLATE"],
        "lms_host_login": current_app.config["LMS_CURRENT_USER"] is not None,
        "csrf_token": generate_csrf,
        "main_menu": _main_menu,
        "lms_links": _frame_links,
        "t": i18n.content_text,
        "fmt_day": i18n.format_day,
        "pct": i18n.format_percent,
        "num": i18n.localize_digits,
        "dec": i18n.format_decimal,
        "bdi": i18n.bdi,
        "ltr": i18n.ltr,
        **DAY_HELPERS,
        **_FEATURE_HELPERS,
    }


_FEATURE_HELPERS = features.template_helpers(FEATURES)

#: Everything the main menu shows or hides a link by (lms/_menu.html sees only these).
_MENU_RULES = {name: TEMPLATE_RULES[name] for name in
               ("agent", "manage_certificates", "leader", "review_replies", "administer_people")}
_MENU_RULES["self_review"] = _FEATURE_HELPERS["can_self_review"]
_KEPT = 64


def _kept(cache, key, make):
    """``cache[key]``, made by ``make()`` the first time. A host's proxy may set the mount point
    (part of every key) per request: only the first few keys are kept."""
    found = cache.get(key)
    if found is None:
        found = make()
        if len(cache) < _KEPT:
            cache[key] = found
    return found


def _main_menu(user):
    """The main menu: the same markup for everyone with the same rights, so it is rendered
    once per language, mount point and set of rights (every page shows it), not per page."""
    rights = tuple(rule(user) for rule in _MENU_RULES.values())
    return _kept(current_app.extensions["lms"].menus, (i18n.current_locale(), request.script_root, rights),
                 lambda: Markup(render_template("lms/_menu.html", may=SimpleNamespace(**dict(zip(_MENU_RULES, rights))))))


#: The addresses every page's frame links to (lms/base.html: ``lms_links().css``).
_FRAME_LINKS = {
    "css": ("lms.static", {"filename": "lms.css"}),
    "menu_js": ("lms.static", {"filename": "menu.js"}),
    "set_language": ("lms.accounts.set_language", {}),
    "notifications": ("lms.coaching.notifications", {}),
    "account": ("lms.accounts.account", {}),
    "logout": ("lms.accounts.logout", {}),
}


def _frame_links():
    """The frame's addresses, built once per mount point rather than by six url_for calls on
    every page."""
    return _kept(current_app.extensions["lms"].frame_links, request.script_root,
                 lambda: SimpleNamespace(**{name: url_for(endpoint, **values)
                                            for name, (endpoint, values) in _FRAME_LINKS.items()}))


#: The access rules in templates: ``can.manage_certificates(lms_user)``.
_CAN = SimpleNamespace(**TEMPLATE_RULES)


def _http_title(code):
    titles = {
        400: _("That request could not be used"),
        401: _("Please sign in"),
        403: _("Not open to you"),
        404: _("Not found"),
        405: _("That request could not be used"),
        409: _("Already done"),
        413: _("Too much was sent"),
        429: _("Too many tries"),
    }
    return titles.get(code, _("Something went wrong"))


def _http_error(error):
    """Every plugin error page says what went wrong in the learner's language."""
    without_database(error.code)
    return render_template("lms/error.html", **_error_context(error), status=error.code), error.code


def standalone_http_error(error):
    """The standalone app's answer for addresses outside the plugin (a mistyped URL): the
    plugin's own error page in the visitor's language, not Werkzeug's bare English one. A
    host application keeps its own handlers: init_app() registers nothing app-wide."""
    without_database(error.code)
    _activate_locale()
    try:
        # Outside the blueprint its after_request does not run: the same headers, set here.
        return add_security_headers(make_response(render_template(
            "lms/error.html", **_template_globals(), **_error_context(error), status=error.code), error.code))
    finally:
        i18n.deactivate()


def _error_context(error):
    """Title and message of an error page. Werkzeug's own descriptions are English; ours (passed
    to abort) are translated already. A page not found names the address asked for."""
    title = _http_title(error.code)
    if _is_ours(error):
        message = error.description
    elif error.code == 404:
        message = _("There is nothing at this address. It may have been mistyped, or the page has moved.")
    elif error.code == 413:
        message = too_large_message()
    else:
        message = title
    return {"title": title, "message": message, "asked": request.path if error.code == 404 else None}


def _csrf_refused(_error):
    """A host's CSRFProtect refused a plugin form: answered as the plugin's own check does."""
    try:
        return expired_form()
    except HTTPException as refused:
        return _http_error(refused)


def _is_ours(error):
    return type(error).description != error.description
