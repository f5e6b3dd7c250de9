"""Answering the pulses, once per period each: the support pulse by agents of a team, the
culture pulse by a site's agents and coaches. The receipt and the counts are written in one
transaction; nothing of an answer is kept with the person (tally.py)."""

from datetime import date, timedelta

from sqlalchemy import select

from .. import db
from ..accounts.permissions import can_take_culture_pulse, can_take_pulse
from ..db import utcnow
from .models import CultureReceipt, CultureTally, PulseReceipt, PulseTally
from .tally import AlreadyAnswered, record

EPOCH = date(1970, 1, 1)
__all__ = ["AlreadyAnswered", "NotAsked", "answer", "answer_culture", "culture_due", "culture_group", "is_due",
           "period_end", "period_start", "pulses_due"]


class NotAsked(Exception):
    """This person is not asked this pulse: the support pulse is for agents of a team (their
    answers are about its coach and lead), the culture pulse for a site's agents and coaches."""


def period_start(day, period_days):
    """The first day of the period ``day`` falls in (periods run back to back from 1970)."""
    return EPOCH + timedelta(days=(day - EPOCH).days // period_days * period_days)


def period_end(today, pulse):
    """The last day of the pulse's period ``today`` falls in: a pulse is due by then."""
    return period_start(today, pulse.period_days) + timedelta(days=pulse.period_days - 1)


def pulses_due(user, catalog, today):
    """The pulses ``user`` has yet to answer this period, for their to-do list: (kind, the
    questionnaire, the last day to answer it, its page's endpoint) each."""
    asked = (("pulse", catalog.pulse, is_due, "lms.pulse.pulse"),
             ("culture", catalog.culture, culture_due, "lms.pulse.culture"))
    return [(kind, pulse, period_end(today, pulse), endpoint) for kind, pulse, due, endpoint in asked
            if due(user, pulse, today)]


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
    record(PulseReceipt(user_id=user.id, team_id=user.team_id, period_start=start), PulseTally,
           {"team_id": user.team_id, "period_start": start}, pulse.items, "topic", responses)


def culture_group(user):
    """Whose counts a person's culture answers join: their team's, or for a coach the site's
    coaches' (team None): a coach of several teams belongs to none of them alone."""
    return {"site_id": user.site_id, "team_id": user.team_id if user.role == "agent" else None}


def culture_due(user, culture, today):
    """Whether ``user`` should answer the culture pulse of the period ``today`` falls in."""
    if culture is None or not can_take_culture_pulse(user):
        return False
    last = user.last_culture_period  # loaded with the signed-in person (models.py)
    return last is None or last < period_start(today, culture.period_days)


def answer_culture(user, culture, responses, now=None):
    """Count ``responses`` (statement id -> 1..5, or None) with the user's group in this period
    and record that the user answered, in one transaction."""
    now = now or utcnow()
    if not can_take_culture_pulse(user):
        raise NotAsked(user.id)
    group = {**culture_group(user), "period_start": period_start(now.date(), culture.period_days)}
    record(CultureReceipt(user_id=user.id, **group), CultureTally, group, culture.items, "lens", responses)
