"""The outbox: enqueued in the caller's transaction, idempotent by key, sent once, retried
with backoff while the other system is down, and never sent by two sweeps at once."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import db
from lms.db import utcnow
from lms.outbox import deliver_due, enqueue, sender
from lms.outbox.models import Delivery
from lms.outbox.queue import LEASE, SENDERS, backoff


@pytest.fixture
def received():
    """A channel whose sender records payloads, and fails while ``down`` is set."""
    log = {"payloads": [], "down": False}

    @sender("test")
    def send(payload):
        if log["down"]:
            raise ConnectionError("the receiver is down")
        log["payloads"].append(payload)

    yield log
    SENDERS.pop("test")


def rows():
    return db.session.scalars(select(Delivery).order_by(Delivery.id)).all()


def test_enqueue_is_part_of_the_callers_transaction(ctx, received):
    enqueue("test", "a", {"n": 1})
    db.session.rollback()
    assert rows() == []
    enqueue("test", "a", {"n": 1})
    db.session.commit()
    assert [r.key for r in rows()] == ["a"]


def test_the_same_key_twice_is_one_delivery_sent_once(ctx, received):
    enqueue("test", "a", {"n": 1})
    enqueue("test", "a", {"n": 2})  # the same event again: the first payload stays
    enqueue("test", "b", {"n": 3})
    db.session.commit()
    assert deliver_due() == {"sent": 2, "failed": 0, "waiting": 0}
    assert deliver_due() == {"sent": 0, "failed": 0, "waiting": 0}
    assert received["payloads"] == [{"n": 1}, {"n": 3}]
    assert all(r.sent_at is not None and r.attempts == 1 for r in rows())


def test_a_receiver_that_is_down_gets_it_later_with_backoff(ctx, received):
    received["down"] = True
    enqueue("test", "a", {"n": 1})
    db.session.commit()
    assert deliver_due() == {"sent": 0, "failed": 1, "waiting": 1}
    (row,) = rows()
    assert row.sent_at is None and row.attempts == 1 and "receiver is down" in row.last_error
    assert row.next_try_at > utcnow() + backoff(1) - timedelta(seconds=5)
    assert deliver_due() == {"sent": 0, "failed": 0, "waiting": 1}  # not due yet
    received["down"] = False
    assert deliver_due(now=utcnow() + timedelta(hours=7))["sent"] == 1
    assert received["payloads"] == [{"n": 1}]
    assert rows()[0].last_error is None


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(40) == timedelta(hours=6)


def test_a_claimed_row_is_left_to_its_claimer_until_the_lease_ends(ctx, received):
    """A sweep that crashed after claiming a row (and maybe after sending it) leaves it to a
    later sweep once the lease is over: sent at least once, never by two sweeps at once."""
    enqueue("test", "a", {"n": 1})
    db.session.commit()
    (row,) = rows()
    row.next_try_at = utcnow() + LEASE  # what a claim leaves behind
    db.session.commit()
    assert deliver_due()["sent"] == 0
    assert deliver_due(now=utcnow() + LEASE + timedelta(seconds=1))["sent"] == 1


def test_an_unknown_channel_waits_for_its_sender(ctx, received):
    enqueue("not-configured", "a", {})
    db.session.commit()
    assert deliver_due() == {"sent": 0, "failed": 0, "waiting": 1}


def test_after_a_commit_a_thread_sends_at_once(app, ctx, received, monkeypatch):
    """The fast path: with the "thread" worker a commit that enqueued starts the sending."""
    monkeypatch.setitem(app.config, "LMS_DELIVERY_WORKER", "thread")
    sent = threading.Event()
    original = SENDERS["test"]
    monkeypatch.setitem(SENDERS, "test", lambda payload: (original(payload), sent.set()))
    enqueue("test", "a", {"n": 1})
    db.session.commit()
    assert sent.wait(timeout=30)
    deadline = utcnow() + timedelta(seconds=30)
    while db.session.scalar(select(Delivery.sent_at)) is None and utcnow() < deadline:
        db.session.rollback()  # a new transaction sees the thread's commit
    assert db.session.scalar(select(Delivery.sent_at)) is not None
    assert received["payloads"] == [{"n": 1}]


def test_the_sweep_command_reports_what_it_did(app, ctx, received):
    enqueue("test", "a", {"n": 1})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["lms", "deliver"])
    assert result.exit_code == 0, result.output
    assert "Sent: 1; failed this time: 0; still waiting: 0." in result.output
    assert received["payloads"] == [{"n": 1}]
