"""Sign in, sign out, and the language switch."""

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

from .. import db
from ..i18n import _
from .forms import LoginForm
from .identity import current_lms_user
from .services import Throttled, authenticate


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
                _("Too many failed sign-ins. Try again in %(minutes)s minutes.", minutes=minutes))
            status = 429
        else:
            if user is not None:
                session.clear()  # a fresh session on sign-in: no fixation
                login_user(user)
                session["lms_locale"] = user.locale
                return redirect(safe_next(request.args.get("next"), url_for("lms.learning.path")))
            form.form_errors.append(_("That username and password do not match. Check both and try again."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("lms/accounts/login.html", form=form), status


def logout():
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
