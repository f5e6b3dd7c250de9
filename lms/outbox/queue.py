"""Enqueue a delivery in the caller's transaction, and send what is due.

A row is claimed by moving its ``next_try_at`` past a lease with one conditional UPDATE, so two
workers (or two machines) never send the same row at once, on SQLite as on PostgreSQL. It is
marked sent only after its sender returned; a crash in between leaves the lease to expire and the
row is sent again, which is why receivers are asked to be idempotent by key."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import case, func, select, update

from .. import db
from ..db import utcnow
from .models import Delivery

#: channel -> function(payload) that sends one payload or raises.
SENDERS = {}
#: How long a claimed row is left alone before another sweep may take it again.
LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT = timedelta(hours=6)


def sender(channel):
    """Register the function that sends a channel's payloads (it raises on failure)."""
    def register(function):
        SENDERS[channel] = function
        return function
    return register


def enqueue(channel, key, payload):
    """Add a delivery to the current transaction; an existing (channel, key) is kept as it is."""
    now = utcnow()
    db.upsert(Delivery, {"channel": channel, "key": key, "payload": payload, "created_at": now, "attempts": 0,
                         "next_try_at": now}, keys=("channel", "key"))
    db.session.info["lms_outbox_app"] = current_app._get_current_object()


def backoff(attempts):
    """Wait before the next try: 30 s, 1 min, 2 min, ... at most six hours."""
    return min(timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def deliver_due(limit=200, now=None):
    """Send every due row once; returns how many were sent, failed, and are still waiting."""
    now = now or utcnow()
    ids = db.session.scalars(select(Delivery.id).where(Delivery.sent_at.is_(None), Delivery.next_try_at <= now,
                                                       Delivery.channel.in_(SENDERS))
                             .order_by(Delivery.id).limit(limit)).all()
    db.session.commit()
    counts = {"sent": 0, "failed": 0}
    for delivery_id in ids:
        counts["sent" if _deliver_one(delivery_id, now) else "failed"] += 1
    counts["waiting"] = db.session.scalar(select(func.count()).select_from(Delivery).where(Delivery.sent_at.is_(None)))
    db.session.commit()
    return counts


def _claim(delivery_id, now):
    claimed = db.session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.sent_at.is_(None),
                                                        Delivery.next_try_at <= now)
                                 .values(next_try_at=now + LEASE)).rowcount == 1
    db.session.commit()
    return claimed


def _deliver_one(delivery_id, now):
    if not _claim(delivery_id, now):
        return False
    delivery = db.session.get(Delivery, delivery_id)
    try:
        SENDERS[delivery.channel](delivery.payload)
    except Exception as error:  # any failure of the other system: try again later
        db.session.rollback()
        delivery = db.session.get(Delivery, delivery_id)
        delivery.attempts += 1
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        delivery.next_try_at = utcnow() + backoff(delivery.attempts)
        db.session.commit()
        current_app.logger.warning("Delivery %s (%s) failed, try %s: %s", delivery.id, delivery.channel,
                                   delivery.attempts, delivery.last_error)
        return False
    delivery.attempts += 1
    delivery.sent_at = utcnow()
    delivery.last_error = None
    db.session.commit()
    return True


def depth():
    """Deliveries not sent yet, and among them those that failed at least once (they wait
    for a retry, with the error on the row): the outbox's figures in the metrics."""
    pending, failed = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((Delivery.attempts > 0, 1), else_=0)), 0))
        .where(Delivery.sent_at.is_(None))).one()
    return {"pending": pending, "failed": failed}
