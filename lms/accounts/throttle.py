"""Sign-in throttling, per account and per address, counted atomically across workers.

Every try is counted *before* its password is checked, by one upsert that returns the new
count (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on SQLite and PostgreSQL alike): of
any number of concurrent tries, only those that found room under the limit are checked. A
right password gives the try back, so only failures use up the window.

The account limit (``LMS_LOGIN_MAX_FAILURES``) stops guessing one person's password; the
address limit (``LMS_LOGIN_MAX_FAILURES_PER_ADDRESS``) is sized for a whole office behind one
NAT, so a colleague's typos never lock anyone else out."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..db import utcnow
from .models import LoginThrottle

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class Throttled(Exception):
    """Too many failed sign-ins for this account or address; try again later."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        super().__init__(retry_after)


def account_key(username):
    return f"user:{username.strip().lower()}"


def address_key(remote_addr):
    return f"ip:{remote_addr or '-'}"


def _limits():
    config = current_app.config
    return timedelta(seconds=config["LMS_LOGIN_WINDOW_SECONDS"]), (
        config["LMS_LOGIN_MAX_FAILURES"], config["LMS_LOGIN_MAX_FAILURES_PER_ADDRESS"])


def count_try(key, window, now):
    """Add one try to ``key``'s window (a new window when the last one is over) and return
    (count, window_start) as the database left them, in one statement, committed."""
    table = LoginThrottle.__table__
    stale = table.c.window_start <= now - window
    insert = _INSERTS[db.session.get_bind().dialect.name](table).values(key=key, count=1, window_start=now)
    statement = insert.on_conflict_do_update(index_elements=[table.c.key], set_={
        # Both read the row as it was: the same window test decides both columns.
        "count": case((stale, 1), else_=table.c.count + 1),
        "window_start": case((stale, now), else_=table.c.window_start),
    }).returning(table.c.count, table.c.window_start)
    count, start = db.session.execute(statement).one()
    db.session.commit()
    return count, start


def give_back(key):
    """Take back one counted try (it was not a failure)."""
    db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.count > 0)
                       .values(count=LoginThrottle.count - 1))


def reserve(username, remote_addr, now=None):
    """Count a sign-in try for the account and the address; :class:`Throttled` (nothing to
    check) when either is over its limit. A refused try counts for neither."""
    now = now or utcnow()
    window, limits = _limits()
    keys = account_key(username), address_key(remote_addr)
    counted = []
    for key, limit in zip(keys, limits):
        count, start = count_try(key, window, now)
        counted.append(key)
        if count > limit:
            for taken in counted:
                give_back(taken)
            db.session.commit()
            raise Throttled(int((start + window - now).total_seconds()) + 1)


def forgive(username, remote_addr):
    """A right password: the account starts afresh and the address gets its try back.
    The caller commits."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key(username)))
    give_back(address_key(remote_addr))


def forget_old(now=None):
    """Drop the windows that are over (they would start afresh anyway). The caller commits."""
    window, _limits_ = _limits()
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.window_start <= (now or utcnow()) - window))
