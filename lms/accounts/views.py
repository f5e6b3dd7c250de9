"""Sign in, sign out, the language switch, and each person's own account page."""

from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_user, logout_user

from .. import db, features
from ..i18n import _, localize_digits
from ..values import Invalid
from .forms import AccountForm, LoginForm, PasswordForm
from .identity import current_lms_user, home_for, require_user
from .kept_forms import KEPT
from .sessions import end_sessions, start_session
from .services import Deactivated, Throttled, authenticate


def safe_next(target, default):
    """Only follow redirects to paths on this site (no open redirect)."""
    if target and not urlsplit(target).netloc and not urlsplit(target).scheme and target.startswith("/"):
        return target
    return default


def login():
    if current_app.config["LMS_CURRENT_USER"] is not None:
        return redirect(url_for("lms.learning.path"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, request.remote_addr)
        except Throttled as exc:
            minutes = max(1, round(exc.retry_after / 60))
            form.form_errors.append(
                _("Too many failed sign-ins. Try again in %(minutes)s minutes.", minutes=localize_digits(minutes)))
            status = 429
        except Deactivated:
            form.form_errors.append(_("This account is deactivated. Ask your manager if you think this is a mistake."))
            status = 403
        else:
            if user is not None:
                # A fresh session on sign-in (no fixation), keeping a form sent after the
                # last session ended, to send again.
                start_session(user, keep=(KEPT,))
                session["lms_locale"] = user.locale
                if user.must_change_password:
                    return redirect(url_for("lms.accounts.account"))
                return redirect(safe_next(request.args.get("next"), home_for(user)))
            form.form_errors.append(_("That username and password do not match. Check both and try again."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("lms/accounts/login.html", form=form), status


def logout():
    user = current_lms_user()
    if user is not None and current_app.config["LMS_CURRENT_USER"] is None:
        end_sessions(user)  # a copy of this cookie, kept anywhere, no longer signs anyone in
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("lms.accounts.login"))


def set_language():
    """Remember the chosen language for this browser and, when signed in, for the user."""
    locale = request.form.get("locale")
    if locale not in current_app.config["LMS_LANGUAGES"]:
        return render_template("lms/error.html", message=_("Unknown language.")), 400
    session["lms_locale"] = locale
    user = current_lms_user()
    if user is not None:
        user.locale = locale
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("lms.learning.path")))


@require_user
def account(user):
    """Each person's own e-mail, digest choice, language and password."""
    details = AccountForm(prefix="details", obj=user)
    password = PasswordForm(prefix="password")
    status = 200
    if request.method == "POST" and "password-current" in request.form:
        if password.validate():
            try:
                features.ask("change_own_password", user, password.current.data, password.new.data)
            except Invalid as error:
                error.show_on(password)
            else:
                db.session.commit()
                login_user(user)  # the new password ended every session: this one goes on
                flash(_("Your password is changed."), "info")
                return redirect(url_for("lms.accounts.account"))
        status = 400
    elif request.method == "POST":
        if details.validate():
            try:
                features.ask("update_account", user, details.email.data, details.wants_email.data, details.locale.data)
            except Invalid as error:
                db.session.rollback()
                error.show_on(details)
            else:
                db.session.commit()
                session["lms_locale"] = user.locale
                flash(_("Your details are saved."), "info")
                return redirect(url_for("lms.accounts.account"))
        status = 400
    return render_template("lms/accounts/account.html", details=details, password=password), status


def require_new_password():
    """After a password reset, every page but the account page, sign-out, the language switch
    and static files sends the person to choose their own password first."""
    if request.endpoint in ("lms.accounts.account", "lms.accounts.logout", "lms.accounts.set_language", "lms.static"):
        return None
    user = current_lms_user()
    if user is not None and user.must_change_password and current_app.config["LMS_CURRENT_USER"] is None:
        flash(_("Choose a new password of your own before you go on."), "info")
        return redirect(url_for("lms.accounts.account"))
    return None
