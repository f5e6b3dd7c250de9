"""Request hardening for every plugin page: CSRF on state changes, security headers,
and a session cookie marked Secure whenever the request came over HTTPS."""

from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import ValidationError, validate_csrf

from .accounts.kept_forms import expired_form

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
    ),
}


def check_csrf():
    """Refuse any state-changing request without a valid token (blueprint before_request):
    nothing is saved, and the person gets back what they sent."""
    if request.method in UNSAFE_METHODS:
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            return expired_form()
    return None


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # Pages show personal progress: never keep them in a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class AutoSecureSessionInterface(SecureCookieSessionInterface):
    """With ``LMS_COOKIE_SECURE = "auto"`` the cookie is Secure on HTTPS requests, so the
    demo works on http://127.0.0.1 while a deployment behind TLS gets Secure cookies."""

    def get_cookie_secure(self, app):
        setting = app.config.get("LMS_COOKIE_SECURE", "auto")
        if setting == "auto":
            return request.is_secure if request else False
        return bool(setting)
