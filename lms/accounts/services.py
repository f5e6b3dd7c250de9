"""Account operations as plain functions: sign-in with throttling, creating users."""

from sqlalchemy import func, or_, select

from .. import db
from . import throttle
from .models import ROLES, Site, Team, User, password_matches
from .throttle import Throttled  # noqa: F401 (raised by authenticate)


class Deactivated(Exception):
    """The right password for a deactivated account (said only to whoever knows it)."""


def authenticate(username, password, remote_addr, now=None):
    """The active user with these credentials (``username`` may be the e-mail address), or
    None; :class:`Deactivated` for a leaver's right password. Raises :class:`Throttled`, with
    no password checked, once the account or the address has used up its failures in the
    window (throttle.py)."""
    throttle.reserve(username, remote_addr, now)
    name = username.strip().lower()
    user = db.session.scalar(select(User).where(or_(func.lower(User.username) == name, User.email == name)))
    if not password_matches(user, password):  # one hash checked, known name or not
        throttle.forget_old(now)
        db.session.commit()
        return None
    throttle.forgive(username, remote_addr)
    db.session.commit()
    if not user.active:
        raise Deactivated()
    return user


def create_user(username, password, display_name, role="agent", team=None, site=None, locale="en",
                email=None, hired_on=None):
    """Add a user; the caller commits. Raises ValueError for a bad role or a taken name."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ValueError(f"username {username!r} is already taken")
    user = User(username=username, display_name=display_name, role=role, locale=locale, email=email,
                hired_on=hired_on, team=team, site=site or (team.site if team else None))
    user.set_password(password)
    db.session.add(user)
    return user


def get_or_create_site(name):
    site = db.session.scalar(select(Site).where(Site.name == name))
    if site is None:
        site = Site(name=name)
        db.session.add(site)
        db.session.flush()
    return site


def get_or_create_team(name, site):
    team = db.session.scalar(select(Team).where(Team.name == name, Team.site_id == site.id))
    if team is None:
        team = Team(name=name, site=site)
        db.session.add(team)
        db.session.flush()
    return team
