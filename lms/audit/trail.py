"""Writing to the audit trail, in the caller's transaction (the change and its record commit
or roll back together), and reading it back for the page and the CSV."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, or_, select

from .. import db
from ..db import contains, utcnow
from .models import AuditEvent

#: Every kind of change recorded, grouped as the page's filter offers them.
KINDS = {
    "attempts": ("attempt.started", "attempt.graded", "attempt.closed"),
    "reviews": ("review.saved",),
    "certificates": ("certificate.issued", "certificate.revoked", "certificate.restored", "certificate.renewed"),
    "assignments": ("assignment.made", "assignment.withdrawn", "assignment.completed"),
    "people": ("person.created", "person.changed", "person.deactivated", "person.reactivated",
               "person.password_reset", "person.coach_added", "person.coach_removed", "people.imported"),
    "teams": ("team.created", "team.changed", "site.created", "site.changed"),
    "settings": ("settings.gaps", "lti.platform_removed"),
    "recognition": ("praise.recorded", "praise.acknowledged"),
}
ALL_KINDS = tuple(kind for kinds in KINDS.values() for kind in kinds)
#: Many events on the table, past the ORM's bulk-insert layer: rows as they are.
_INSERT = insert(AuditEvent.__table__)


def _jsonable(values):
    """Dates and times as ISO text, so before/after survive JSON on every engine."""
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in values.items()}


def event_row(kind, actor=None, person=None, target="", before=None, after=None, reason=None, site_id=None,
              at=None):
    """The values of one event; ``actor`` None is the system. ``person`` is whom it concerns."""
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    return {
        "at": at or utcnow(), "kind": kind,
        "actor_id": actor.id if actor is not None else None,
        "actor_name": actor.display_name if actor is not None else "CX Academy",
        "person_id": person.id if person is not None else None,
        "person_name": person.display_name if person is not None else None,
        "site_id": site_id if site_id is not None else (person.site_id if person is not None else None),
        "target": target, "before": _jsonable(before), "after": _jsonable(after),
        "reason": reason,
    }


def record(kind, actor=None, person=None, target="", before=None, after=None, reason=None, site_id=None, at=None):
    """Add one event to the session; the caller commits it with the change it describes. (An
    object for the unit of work, not an INSERT run at once: callers add what the event describes
    first and catch a refused flush after, e.g. a reply reviewed twice.)"""
    row = AuditEvent(**event_row(kind, actor, person, target, before, after, reason, site_id, at))
    db.session.add(row)
    return row


def record_now(kind, actor=None, person=None, target="", before=None, after=None, at=None):
    """Write one event at once, past the unit of work (a quiz's start and submission: about a
    million instructions less than record()). Only where nothing is pending: the INSERT flushes
    whatever is, and a refused flush would then fail here, not in the caller's handling."""
    record_many([event_row(kind, actor, person, target, before, after, at=at)])


def record_many(rows):
    """Add many events (``event_row`` values) in one statement: an import of thousands."""
    if rows:
        db.session.execute(_INSERT, rows)


def changes(before, after):
    """Only the fields that changed, as (before, after) dicts; (None, None) when none did."""
    changed = [key for key in after if before.get(key) != after[key]]
    if not changed:
        return None, None
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # part of the name of whom it concerns or who did it
    kinds: tuple = ()
    start: datetime | None = None
    end: datetime | None = None
    site_id: int | None = None  # a manager's site; None: every site


def select_events(f: AuditFilter):
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if f.site_id is not None:
        query = query.where(AuditEvent.site_id == f.site_id)
    if f.person:
        query = query.where(or_(contains(AuditEvent.person_name, f.person), contains(AuditEvent.actor_name, f.person)))
    if f.kinds:
        query = query.where(AuditEvent.kind.in_(f.kinds))
    if f.start:
        query = query.where(AuditEvent.at >= f.start)
    if f.end:
        query = query.where(AuditEvent.at <= f.end)
    return query
