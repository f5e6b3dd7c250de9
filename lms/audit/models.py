"""One row per change. No foreign keys: names and ids are copied at the time, so the trail
reads the same after anyone is renamed, moved or deactivated."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "lms_audit_event"
    __table_args__ = (
        Index("ix_lms_audit_event_person", "person_id", "at"),
        Index("ix_lms_audit_event_site", "site_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # see trail.KINDS
    actor_id: Mapped[int | None] = mapped_column(Integer)  # None: CX Academy itself (a rule, a command)
    actor_name: Mapped[str] = mapped_column(String(120))
    person_id: Mapped[int | None] = mapped_column(Integer)  # whom the change concerns
    person_name: Mapped[str | None] = mapped_column(String(120))
    site_id: Mapped[int | None] = mapped_column(Integer)  # the person's site: a manager sees their site's
    target: Mapped[str] = mapped_column(String(200))  # what changed: "certificate:<code>", "team:3"...
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)


class AuditIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_rewriting_history(session, _context, _instances):
    """Through the app an event can only be added: changing or deleting one is a bug."""
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, AuditEvent):
            raise AuditIsAppendOnly("audit events are never changed or deleted")
