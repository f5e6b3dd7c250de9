"""Who is asking: the plugin's own sign-in (Flask-Login), or the host's signed-in user
handed over through ``LMS_CURRENT_USER`` and linked to a plugin account."""

from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..i18n import _
from ..params import id_arg
from .models import Site, User
from .permissions import can_view_site, is_admin, is_leader


@dataclass(frozen=True)
class HostUser:
    """What a host's ``LMS_CURRENT_USER`` callable returns for a signed-in person."""

    id: str
    name: str
    email: str | None = None
    locale: str | None = None


def current_lms_user():
    """The :class:`User` making this request, or None when nobody is signed in."""
    if "_lms_user" not in g:
        hook = current_app.config["LMS_CURRENT_USER"]
        if hook is not None:
            host_user = hook()
            g._lms_user = link_host_user(host_user) if host_user is not None else None
        else:
            g._lms_user = current_user._get_current_object() if current_user.is_authenticated else None
    return g._lms_user


def link_host_user(host_user):
    """Find, or create on first visit, the plugin account of a host user (role agent;
    an admin can change it). Two first requests at once still make one account."""
    external_id = str(host_user.id)
    user = db.session.scalar(select(User).where(User.external_id == external_id))
    if user is not None:
        return user
    email = (host_user.email or "").strip().lower()
    if email:
        # Someone imported from the HR export before their first visit: link, don't duplicate.
        user = db.session.scalar(select(User).where(User.email == email, User.external_id.is_(None)))
        if user is not None:
            user.external_id = external_id
            db.session.commit()
            return user
    user = User(
        username=f"host-{external_id}"[:80], external_id=external_id, display_name=host_user.name,
        email=email or None, role="agent", locale=host_user.locale or current_app.config["LMS_DEFAULT_LOCALE"],
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        user = db.session.scalar(select(User).where(User.external_id == external_id))
    return user


def home_for(user):
    """Where a person lands after signing in and from the brand link: staff on the coaching
    dashboard, which lists what needs them today (admins too: their administration pages are
    one link away, while questions and failed quizzes wait here); agents on their path."""
    if user is not None and is_leader(user):
        return url_for("lms.coaching.dashboard")
    return url_for("lms.learning.path")


def require_user(view):
    """Run ``view`` with the signed-in user as its first argument, or send the visitor to
    sign in (401 when the host owns sign-in and nobody is signed in)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        user = current_lms_user()
        if user is None:
            if current_app.config["LMS_CURRENT_USER"] is not None:
                abort(401)
            return redirect(url_for("lms.accounts.login", next=request.full_path.rstrip("?")))
        if not user.active:  # a host's user whose CX Academy account was deactivated
            abort(403, _("This account is deactivated. Ask your manager if you think this is a mistake."))
        return view(user, *args, **kwargs)

    return wrapped


def site_in_view(viewer):
    """The site a site-wide page shows: the viewer's own, or for an admin the one ``?site_id=``
    names. 404 when there is none they may see ("no such" and "not yours" alike)."""
    site_id = id_arg("site_id") if is_admin(viewer) and request.args.get("site_id") else viewer.site_id
    site = db.session.get(Site, site_id) if site_id else None
    if site is None or not can_view_site(viewer, site):
        abort(404, _("There is no such site."))
    return site
