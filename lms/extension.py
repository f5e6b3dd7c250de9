"""The ``LMS`` Flask extension: mount CX Academy into any Flask app.

    from lms import LMS
    LMS().init_app(app, url_prefix="/training")
"""

from dataclasses import dataclass
from types import SimpleNamespace

from flask import Blueprint, current_app, render_template, request
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException
from werkzeug.utils import import_string

from . import db, i18n, xapi
from .accounts.blueprint import bp as accounts_bp
from .accounts.identity import current_lms_user, home_for
from .accounts.kept_forms import expired_form
from .accounts.models import User
from .accounts.permissions import TEMPLATE_RULES
from .accounts.views import require_new_password
from .audit.blueprint import bp as audit_bp
from .audit.presenters import TEMPLATE_HELPERS as AUDIT_HELPERS
from .catalog import Catalog, ContentError, load_catalog
from .coaching import hooks as coaching_hooks
from .coaching.blueprint import bp as coaching_bp
from .coaching.notifications import unread_count
from .coaching.presenters import TEMPLATE_HELPERS as COACHING_HELPERS
from .config import DEFAULTS
from .credentials import hooks as credential_hooks
from .credentials.blueprint import bp as credentials_bp
from .days import TEMPLATE_HELPERS as DAY_HELPERS
from .gaps.blueprint import bp as gaps_bp
from .gaps.presenters import TEMPLATE_HELPERS as GAP_HELPERS
from .i18n import _
from .item_analysis.blueprint import bp as item_analysis_bp
from .jobs import blueprint as jobs_blueprint, init_app as init_jobs
from .question_import.blueprint import bp as question_import_bp
from .item_analysis.presenters import TEMPLATE_HELPERS as ITEM_HELPERS
from .learning.blueprint import bp as learning_bp
from .lti import blueprint as lti, grades as lti_grades
from .learning.presenters import TEMPLATE_HELPERS
from .outbox import dispatch as outbox_dispatch
from .people.blueprint import bp as people_bp
from .pulse.blueprint import bp as pulse_bp
from .roleplays.blueprint import bp as roleplays_bp
from .roleplays.presenters import TEMPLATE_HELPERS as ROLEPLAY_HELPERS
from .roster.blueprint import bp as roster_bp
from .security import add_security_headers, check_csrf
from .teams.blueprint import bp as teams_bp


@dataclass
class LMSState:
    """What the plugin keeps on ``app.extensions["lms"]``. When the content does not load,
    ``catalog`` is None and every plugin page answers 503 with the problems: nothing is
    served half-loaded, and ``flask lms check-content`` can still report them."""

    catalog: Catalog | None
    content_error: ContentError | None = None


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
        self._init_babel(app)
        self._init_login(app)
        credential_hooks.connect(app)
        coaching_hooks.connect(app)
        lti_grades.connect(app)
        xapi.connect(app)
        outbox_dispatch.connect(app)
        init_jobs(app)
        app.register_blueprint(_make_blueprint(), url_prefix=url_prefix or app.config["LMS_URL_PREFIX"] or None)

        from .cli import lms_cli

        app.cli.add_command(lms_cli)

    @staticmethod
    def _init_babel(app):
        if "babel" not in app.extensions:
            Babel(app)  # plugin pages force their own locale (i18n.activate) either way

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
        manager.user_loader(_active_user)


def _active_user(user_id):
    """The session's user while they are active: deactivating someone ends their sessions too."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


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
    bp.register_blueprint(accounts_bp)
    bp.register_blueprint(learning_bp)
    bp.register_blueprint(teams_bp)
    bp.register_blueprint(roleplays_bp)
    bp.register_blueprint(gaps_bp)
    bp.register_blueprint(credentials_bp)
    bp.register_blueprint(coaching_bp)
    bp.register_blueprint(pulse_bp)
    bp.register_blueprint(item_analysis_bp)
    bp.register_blueprint(question_import_bp)
    bp.register_blueprint(audit_bp)
    bp.register_blueprint(roster_bp)
    bp.register_blueprint(people_bp)
    bp.register_blueprint(lti.bp)
    bp.register_blueprint(jobs_blueprint.bp)
    bp.before_request(_activate_locale)
    bp.before_request(_refuse_without_content)
    bp.before_request(check_csrf)
    bp.before_request(require_new_password)
    bp.teardown_request(i18n.deactivate)
    bp.after_request(add_security_headers)
    bp.context_processor(_template_globals)
    bp.register_error_handler(HTTPException, _http_error)
    bp.register_error_handler(CSRFError, _csrf_refused)
    return bp


def _activate_locale():
    i18n.activate(i18n.choose_locale(current_lms_user()))


def _template_globals():
    locale = i18n.current_locale()
    user = current_lms_user()
    return {
        "lms_user": user,
        "lms_home": home_for(user),
        "can": _CAN,
        "lms_unread": unread_count(user.id) if user else 0,
        "lms_locale": locale,
        "lms_dir": i18n.text_direction(locale),
        "lms_languages": current_app.config["LMS_LANGUAGES"],
        "lms_base": current_app.config["LMS_BASE_TEMPLATE"],
        "lms_host_login": current_app.config["LMS_CURRENT_USER"] is not None,
        "csrf_token": generate_csrf,
        "t": i18n.content_text,
        "fmt_day": i18n.format_day,
        "pct": i18n.format_percent,
        "num": i18n.localize_digits,
        "dec": i18n.format_decimal,
        "bdi": i18n.bdi,
        "ltr": i18n.ltr,
        **DAY_HELPERS,
        **TEMPLATE_HELPERS,
        **GAP_HELPERS,
        **COACHING_HELPERS,
        **ROLEPLAY_HELPERS,
        **ITEM_HELPERS,
        **AUDIT_HELPERS,
    }


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
        429: _("Too many tries"),
    }
    return titles.get(code, _("Something went wrong"))


def _http_error(error):
    """Every plugin error page says what went wrong in the learner's language."""
    return render_template("lms/error.html", **_error_context(error), status=error.code), error.code


def standalone_http_error(error):
    """The standalone app's answer for addresses outside the plugin (a mistyped URL): the
    plugin's own error page in the visitor's language, not Werkzeug's bare English one. A
    host application keeps its own handlers: init_app() registers nothing app-wide."""
    _activate_locale()
    try:
        return render_template("lms/error.html", **_template_globals(), **_error_context(error),
                               status=error.code), error.code
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
