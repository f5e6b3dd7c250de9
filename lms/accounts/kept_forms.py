"""A form sent with an expired or missing CSRF token (a page left open past the token's time
limit, or a session that ended meanwhile): nothing is saved, and what was typed comes back,
ready to send again; after signing in again when the session was lost."""

import json
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for

from ..i18n import _
from .identity import current_lms_user, require_user

#: The session key that carries a signed-out person's form over their next sign-in.
KEPT = "lms_kept_form"

#: Bytes of form kept in the session (a cookie, together under 4 KB); beyond it the page shows
#: the text to copy instead.
KEEP_LIMIT = 2500


def kept_fields(form):
    """(name, value) of everything posted but the stale token and passwords (never echoed)."""
    return [(name, value) for name, values in form.lists() for value in values
            if name != "csrf_token" and "password" not in name]


def is_typed(value):
    """Text a person wrote has a space or a line break; ids, dates and chosen options do not.
    Typed text is shown to check and edit; the rest travels back unseen."""
    return any(c.isspace() for c in value.strip())


def from_this_site():
    """Whether the browser says the form was on one of our pages (Origin, else Referer)."""
    source = request.headers.get("Origin") or request.referrer
    return bool(source) and urlsplit(source).netloc == request.host


def expired_form():
    """Answer a post whose CSRF token was refused with what was sent, never with a dead end.
    A post from another site is refused plainly: offering to send it again would finish the forgery."""
    if not from_this_site():
        abort(400, _("This form has expired or did not come from this site. Reload the page and try again."))
    if request.endpoint == "lms.accounts.login":
        flash(_("The sign-in page had expired. Sign in again."), "info")
        return redirect(request.full_path.rstrip("?"), 303)
    kept = {"action": request.script_root + request.full_path.rstrip("?"), "fields": kept_fields(request.form)}
    signed_in = current_lms_user() is not None
    stored = False
    if not signed_in and len(json.dumps(kept).encode()) <= KEEP_LIMIT:
        session[KEPT] = kept
        stored = True
    return _render(kept, signed_in, stored), 400


def _render(kept, signed_in, stored):
    host_login = current_app.config["LMS_CURRENT_USER"] is not None
    return render_template("lms/accounts/expired.html", kept=kept, signed_in=signed_in, stored=stored,
                           is_typed=is_typed, sign_in=None if host_login else url_for(
                               "lms.accounts.login", next=url_for("lms.accounts.resend") if stored else None))


@require_user
def resend(user):
    """After signing in again: the form kept from before, to send once more."""
    kept = session.pop(KEPT, None)
    if kept is None:
        flash(_("Nothing is waiting to be sent."), "info")
        return redirect(url_for("lms.learning.path"))
    return _render(kept, True, True)
