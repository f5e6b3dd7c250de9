"""Answering the support pulse: once per period, by agents of a team. The receipt and the
counts are written in one transaction; nothing of an answer is kept with the person."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .. import db
from ..accounts.permissions import can_take_pulse
from ..db import utcnow
from .models import PulseReceipt, PulseTally

EPOCH = date(1970, 1, 1)


class AlreadyAnswered(Exception):
    """This period's pulse was answered already (another tab, a double click)."""


class NotAsked(Exception):
    """The pulse is for agents of a team: their answers are about its coach and lead."""


def period_start(day, period_days):
    """The first day of the period ``day`` falls in (periods run back to back from 1970)."""
    return EPOCH + timedelta(days=(day - EPOCH).days // period_days * period_days)


def is_due(user, pulse, today):
    """Whether ``user`` should answer the pulse of the period ``today`` falls in."""
    if pulse is None or not can_take_pulse(user):
        return False
    return db.session.scalar(select(PulseReceipt.id).where(
        PulseReceipt.user_id == user.id,
        PulseReceipt.period_start == period_start(today, pulse.period_days))) is None


def answer(user, pulse, responses, now=None):
    """Count ``responses`` (item id -> 1..5, or None when left out) for the user's team in this
    period and record that the user answered, in one transaction."""
    now = now or utcnow()
    if not can_take_pulse(user):
        raise NotAsked(user.id)
    start = period_start(now.date(), pulse.period_days)
    db.session.add(PulseReceipt(user_id=user.id, team_id=user.team_id, period_start=start))
    try:
        db.session.flush()  # a second answer for the period stops here, before anything is counted
        for item in pulse.items:
            if responses.get(item.id) is not None:
                _count(user.team_id, start, item, responses[item.id])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered(user.id) from None


def _count(team_id, start, item, value):
    """One more ``value`` for ``item`` in the team's tally, on both engines (an upsert)."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[db.session.get_bind().dialect.name]
    statement = insert(PulseTally).values(team_id=team_id, period_start=start, item_id=item.id, topic=item.topic,
                                          reversed=item.reversed, answer=value, count=1)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["team_id", "period_start", "item_id", "answer"],
        set_={"count": PulseTally.count + 1}))
