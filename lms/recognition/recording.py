"""Recording a customer's praise and a leader's acknowledgement of it, each in one
transaction with its audit event, the agent's notification and, when a leader backs it, the
support evidence.

The support signal (GAP_MODEL.md: support asks whether leaders "show the way, confirm what
matters and back" their agents). A coach or manager who records a customer's praise by name,
or acknowledges a colleague's record of it, confirms in front of the team that what the agent
did for that customer is what matters: one support item of value 1 for the topic the customer
praised, dated when the leader acted. A colleague's record alone says nothing of the leaders,
so it adds no evidence until a leader acknowledges it; and praise never counts toward the
agent's knowledge or belief, which are measured by the agent's own answers."""

from .. import db, evidence
from ..accounts.permissions import can_coach, can_praise, is_leader
from ..audit import trail
from ..coaching.notifications import notify
from ..db import utcnow
from .models import Praise
from .rules import check_praise

#: The evidence rows' source, and their item id (unique with the praise's id: counted once).
SOURCE = ITEM = "praise"


class NotInReach(LookupError):
    """The agent is not one the person may record praise for (or acknowledge it of)."""


def record(by, agent, fields, now=None):
    """Store the praise described by ``fields`` (said, channel, received_on, case_ref, topic:
    as typed) for ``agent``; raises NotInReach, or Invalid (nothing written) for bad fields."""
    now = now or utcnow()
    if not can_praise(by, agent):
        raise NotInReach(agent.id)
    values = check_praise(today=now.date(), **fields)
    praise = Praise(user_id=agent.id, recorded_by_id=by.id, by_leader=is_leader(by), created_at=now, **values)
    db.session.add(praise)
    db.session.flush()
    if praise.by_leader:
        _support_signal(praise, now)
    trail.record("praise.recorded", by, agent, f"praise:{praise.id}",
                 after={"channel": praise.channel, "topic": praise.topic, "received_on": praise.received_on}, at=now)
    notify([agent.id], "praised", {"by": by.display_name, "said": praise.said},
           "lms.gaps.person", {"user_id": agent.id}, now)
    db.session.commit()
    return praise


def can_acknowledge(leader, praise):
    """A colleague's record, not yet backed, acknowledged by one of the agent's leaders."""
    return not praise.backed and can_coach(leader, praise.agent)


def acknowledge(leader, praise, now=None):
    """A leader backs a colleague's record of praise: their support signal. Acknowledging a
    praise already backed changes nothing."""
    now = now or utcnow()
    if not can_coach(leader, praise.agent):
        raise NotInReach(praise.id)
    if praise.backed:
        return praise
    praise.acknowledged_by_id, praise.acknowledged_at = leader.id, now
    _support_signal(praise, now)
    trail.record("praise.acknowledged", leader, praise.agent, f"praise:{praise.id}", at=now)
    db.session.commit()
    return praise


def _support_signal(praise, now):
    evidence.record(praise.user_id, ITEM, praise.topic, "support", 1.0, SOURCE, praise.id, "", now)
