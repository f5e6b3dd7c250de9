"""Sign-in throttling, per account and per address, counted atomically across workers.

Every try is counted *before* its password is checked, by one upsert that returns the new
count (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on SQLite and PostgreSQL alike): of
any number of concurrent tries, only those that found room under the limit are checked. A
right password gives the try back, so only failures use up the window.

The account limit (``LMS_LOGIN_MAX_FAILURES``) stops guessing one person's password; the
address limit (``LMS_LOGIN_MAX_FAILURES_PER_ADDRESS``) is sized for a whole office behind one
NAT, so a colleague's typos never lock anyone else out. The counters live in the database, or
in Redis when ``LMS_LOGIN_THROTTLE_REDIS_URL`` names one."""

from datetime import timedelta
from functools import cache

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


class DatabaseCounters:
    """Counters in lms_login_throttle: one row per key, one statement per count."""

    @staticmethod
    def count_try(key, window, now):
        """Add one try to ``key``'s window (a new window when the last one is over) and return
        (count, seconds left in the window) as the database left them, in one statement."""
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
        return count, (start + window - now).total_seconds()

    @staticmethod
    def give_back(key):
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.count > 0)
                           .values(count=LoginThrottle.count - 1))

    @staticmethod
    def reset(key):
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))

    @staticmethod
    def forget_old(now, window):
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.window_start <= now - window))


class RedisCounters:
    """The same counters in Redis (``LMS_LOGIN_THROTTLE_REDIS_URL``): a key that expires with
    its window, raised and read by one script, which Redis runs atomically."""

    _COUNT = ("local n = redis.call('INCR', KEYS[1]) "
              "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end "
              "return {n, redis.call('PTTL', KEYS[1])}")
    _GIVE_BACK = "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end"

    def __init__(self, url):
        import redis  # only sites that choose Redis need the package

        self.client = redis.Redis.from_url(url)

    @staticmethod
    def _name(key):
        return f"lms:login:{key}"

    def count_try(self, key, window, now):
        count, left_ms = self.client.eval(self._COUNT, 1, self._name(key), int(window.total_seconds() * 1000))
        return count, max(left_ms, 0) / 1000

    def give_back(self, key):
        self.client.eval(self._GIVE_BACK, 1, self._name(key))

    def reset(self, key):
        self.client.delete(self._name(key))

    def forget_old(self, now, window):
        pass  # Redis expires each window's key itself


@cache
def _redis_counters(url):
    return RedisCounters(url)


def counters():
    url = current_app.config["LMS_LOGIN_THROTTLE_REDIS_URL"]
    return _redis_counters(url) if url else DatabaseCounters


def reserve(username, remote_addr, now=None):
    """Count a sign-in try for the account and the address; :class:`Throttled` (nothing to
    check) when either is over its limit. A refused try counts for neither."""
    now = now or utcnow()
    window, limits = _limits()
    keys = account_key(username), address_key(remote_addr)
    store = counters()
    counted = []
    for key, limit in zip(keys, limits):
        count, seconds_left = store.count_try(key, window, now)
        counted.append(key)
        if count > limit:
            for taken in counted:
                store.give_back(taken)
            db.session.commit()
            raise Throttled(int(seconds_left) + 1)


def forgive(username, remote_addr):
    """A right password: the account starts afresh and the address gets its try back.
    The caller commits."""
    store = counters()
    store.reset(account_key(username))
    store.give_back(address_key(remote_addr))


def forget_old(now=None):
    """Drop the windows that are over (they would start afresh anyway). The caller commits."""
    counters().forget_old(now or utcnow(), _limits()[0])
