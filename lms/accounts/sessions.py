"""Sessions the server can revoke. The cookie names the user as "id:token" (User.get_id); the
token lives in lms_user and is replaced at sign-out and at every password change, so a copied
or stolen cookie stops working then, although the cookie itself is still validly signed."""

import hmac

from flask import session
from flask_login import login_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import undefer_group

from .. import db
from .models import SESSION_GROUP, User, new_session_token


#: Built once: Session.get builds (and keys for the statement cache) a new statement each
#: time, and this runs on every request.
_BY_ID = select(User).options(undefer_group(SESSION_GROUP)).where(User.id == bindparam("user_id"))


def load_session_user(session_id):
    """Flask-Login's user loader: the active user whose current token the cookie carries."""
    user_id, _sep, token = str(session_id).partition(":")
    if not user_id.isascii() or not user_id.isdigit() or not token:
        return None  # a cookie from before tokens, or tampered: sign in again
    user = db.session.execute(_BY_ID, {"user_id": int(user_id)}).scalar_one_or_none()
    if user is None or not user.active or user.session_token is None:
        return None  # deactivating someone ends their sessions too
    return user if hmac.compare_digest(user.session_token, token) else None


def start_session(user, keep=()):
    """Sign ``user`` in on a fresh session: whatever the visitor's session held before is
    dropped (no fixation), except the ``keep`` keys."""
    if user.session_token is None:  # an account from before session tokens: its first one
        end_sessions(user)
        db.session.commit()
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    login_user(user)
    session.update(kept)


def end_sessions(user):
    """Revoke every session cookie issued to ``user``. The caller commits."""
    user.session_token = new_session_token()
