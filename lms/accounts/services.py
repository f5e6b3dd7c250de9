"""Account operations as plain functions: sign-in with throttling, creating users."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from .. import db
from ..db import utcnow
from .models import ROLES, LoginFailure, Site, Team, User


class Throttled(Exception):
    """Too many failed sign-ins for this account or address; try again later."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(retry_after)


class Deactivated(Exception):
    """The right password for a deactivated account (said only to whoever knows it)."""


def _throttle_keys(username, remote_addr):
    return [f"user:{username.strip().lower()}", f"ip:{remote_addr or '-'}"]


def authenticate(username, password, remote_addr, now=None):
    """The active user with these credentials (``username`` may be the e-mail address), or
    None; :class:`Deactivated` for a leaver's right password. Raises :class:`Throttled` after
    ``LMS_LOGIN_MAX_FAILURES`` failures in the window, per account and per address.
    Failures are rows in the database, so every worker sees the same count."""
    now = now or utcnow()
    window = timedelta(seconds=current_app.config["LMS_LOGIN_WINDOW_SECONDS"])
    keys = _throttle_keys(username, remote_addr)
    recent = select(LoginFailure.key, func.count(), func.min(LoginFailure.failed_at)).where(
        LoginFailure.key.in_(keys), LoginFailure.failed_at > now - window
    ).group_by(LoginFailure.key)
    for _key, count, oldest in db.session.execute(recent):
        if count >= current_app.config["LMS_LOGIN_MAX_FAILURES"]:
            raise Throttled(int((oldest + window - now).total_seconds()) + 1)

    name = username.strip().lower()
    user = db.session.scalar(select(User).where(or_(func.lower(User.username) == name, User.email == name)))
    if user is not None and user.check_password(password):
        if not user.active:
            raise Deactivated()
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == keys[0]))
        db.session.commit()
        return user
    db.session.add_all(LoginFailure(key=key, failed_at=now) for key in keys)
    db.session.execute(delete(LoginFailure).where(LoginFailure.failed_at < now - window))
    db.session.commit()
    return None


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
