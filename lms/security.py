"""Request hardening for every plugin page: CSRF on state changes, security headers,
and a session cookie marked Secure whenever the request came over HTTPS."""

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import ValidationError, validate_csrf

from .accounts.kept_forms import expired_form
from .features import ask
from .i18n import _, localize_digits

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


def limit_request_size():
    """Plugin pages read at most LMS_MAX_REQUEST_BYTES of a request (blueprint before_request,
    ahead of anything that reads the form): a bigger one is refused with 413, unread. A host
    application's own pages keep their own limit."""
    request.max_content_length = current_app.config["LMS_MAX_REQUEST_BYTES"]


def too_large_message():
    """The 413 page's sentence, with the limit in megabytes."""
    megabytes = current_app.config["LMS_MAX_REQUEST_BYTES"] / (1024 * 1024)
    return _("What was sent is larger than %(mb)s MB, the most this site takes in one go, so nothing was "
             "saved. Go back, shorten the text or choose a smaller file, and send it again.",
             mb=localize_digits(f"{megabytes:g}"))


def check_csrf():
    """Refuse any state-changing request without a valid token (blueprint before_request):
    nothing is saved, and the person gets back what they sent."""
    if getattr(current_app.view_functions.get(request.endpoint), "csrf_exempt", False):
        return None  # a signed message from another system (LTI), not a form of ours
    if request.method in UNSAFE_METHODS:
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            return expired_form()
    return None


def content_security_policy(frame_ancestors=(), form_targets=()):
    """The policy, widened for an LMS that frames the page or a form posting back to one."""
    policy = HEADERS["Content-Security-Policy"]
    if frame_ancestors:
        policy = policy.replace("frame-ancestors 'self'", " ".join(("frame-ancestors 'self'", *frame_ancestors)))
    if form_targets:
        policy = policy.replace("form-action 'self'", " ".join(("form-action 'self'", *form_targets)))
    return policy


def add_security_headers(response):
    origins = ask("frame_origins")
    if origins:  # an LMS shows this page in its iframe: allow exactly that LMS
        response.headers.setdefault("Content-Security-Policy", content_security_policy(origins))
    for name, value in HEADERS.items():
        if not (origins and name == "X-Frame-Options"):  # it cannot name another origin: CSP decides
            response.headers.setdefault(name, value)
    # Pages show personal progress: never keep them in a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class AutoSecureSessionInterface(SecureCookieSessionInterface):
    """With ``LMS_COOKIE_SECURE = "auto"`` the cookie is Secure on HTTPS requests, so the
    demo works on http://127.0.0.1 while a deployment behind TLS gets Secure cookies."""

    def get_cookie_samesite(self, app):
        """Inside an LMS's iframe the cookie is a third party's: SameSite=None (HTTPS only)."""
        if request and request.is_secure and ask("in_lti_frame"):
            return "None"
        return super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app):
        """...and Partitioned (CHIPS), so browsers that block third-party cookies keep it for
        pages framed by that LMS."""
        return bool(request and request.is_secure and ask("in_lti_frame")) or super().get_cookie_partitioned(app)

    def get_cookie_secure(self, app):
        setting = app.config.get("LMS_COOKIE_SECURE", "auto")
        if setting == "auto":
            return request.is_secure if request else False
        return bool(setting)
