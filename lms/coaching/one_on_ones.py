"""1:1 conversations a coach logs with an agent: topic, what was discussed, the next step."""

from sqlalchemy import select

from .. import db
from ..accounts.permissions import can_coach
from ..db import utcnow
from ..i18n import _, format_day
from .models import OneOnOne
from .notifications import notify


class OneOnOneRefused(ValueError):
    """Why the 1:1 was not logged, in the coach's language."""


def log(coach, agent, topic, held_on, discussed, next_step, now=None, also=None):
    """Log a 1:1 the coach held with ``agent``; ``also(row)``, when given, runs in the same
    transaction (the gap it was for, see lms.effect)."""
    now = now or utcnow()
    if not can_coach(coach, agent):
        raise OneOnOneRefused(_("You can log 1:1s only with agents in the teams you coach."))
    if held_on > now.date():
        raise OneOnOneRefused(_("The date %(date)s is in the future: log a 1:1 once it has taken place.",
                                date=format_day(held_on)))
    row = OneOnOne(user_id=agent.id, coach_id=coach.id, topic=topic, held_on=held_on, discussed=discussed.strip(),
                   next_step=next_step.strip(), created_at=now)
    db.session.add(row)
    if also is not None:
        also(row)
    notify([agent.id], "one_on_one", {"coach": coach.display_name, "next_step": row.next_step},
           "lms.coaching.todo", {}, now)
    db.session.commit()
    return row


def with_agent(user_id, limit=20):
    return db.session.scalars(select(OneOnOne).where(OneOnOne.user_id == user_id)
                              .order_by(OneOnOne.held_on.desc(), OneOnOne.id.desc()).limit(limit)).all()
