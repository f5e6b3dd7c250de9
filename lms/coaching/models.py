"""Coaching records: assignments, spaced re-quiz items, help requests, 1:1 conversations
and notifications. What coaches do here is the support dimension of the gap model."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..accounts.models import SESSION_GROUP, User
from ..db import Base, utcnow

KINDS = ("module", "quiz", "roleplay")
OPEN_SQL = "completed_at IS NULL AND cancelled_at IS NULL"


class Assignment(Base):
    """Something a coach asked an agent to do by a date. One open assignment (neither done
    nor withdrawn) per agent and target: a partial unique index, so the same thing can never
    be assigned twice at once."""

    __tablename__ = "lms_assignment"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        Index("uq_lms_assignment_open", "user_id", "kind", "target_id", unique=True,
              sqlite_where=text(OPEN_SQL), postgresql_where=text(OPEN_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(32))  # kept so reports need no content files
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)  # withdrawn by a coach

    agent: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])


class SpacedItem(Base):
    """A quiz item the agent answered wrong, coming back in short re-quizzes (spacing.py)."""

    __tablename__ = "lms_spaced_item"
    __table_args__ = (UniqueConstraint("user_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(32))
    reviews: Mapped[int] = mapped_column(Integer, default=0)  # re-quizzes taken since the last miss in a quiz
    streak: Mapped[int] = mapped_column(Integer, default=0)  # right answers in a row
    due_on: Mapped[date | None] = mapped_column(Date)  # None once retired
    missed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The item that re-tested it last time: the next re-quiz asks another one.
    last_shown_id: Mapped[str | None] = mapped_column(String(120))


class PracticeRound(Base):
    """One spaced re-quiz as the agent answered it, kept to show its result."""

    __tablename__ = "lms_practice_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answers: Mapped[list] = mapped_column(JSON)  # [{"item": id, "response": json, "value": v, "retired": bool}]


class HelpRequest(Base):
    """An agent's question on a lesson or a quiz item, and the coach's answer."""

    __tablename__ = "lms_help_request"
    __table_args__ = (CheckConstraint("subject_kind IN ('lesson', 'item')", name="subject_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    agent: Mapped[User] = relationship(foreign_keys=[user_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])


class OneOnOne(Base):
    """A 1:1 conversation a coach held with an agent: the remedy for belief gaps."""

    __tablename__ = "lms_one_on_one"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(32))
    held_on: Mapped[date] = mapped_column(Date)
    discussed: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])


class Notification(Base):
    """Something a person should know about. Stored as a kind and its parameters, and worded
    when shown, in the reader's language (notifications.py)."""

    __tablename__ = "lms_notification"
    __table_args__ = (Index("ix_lms_notification_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON)
    # Where it leads: an endpoint and its arguments, turned into a URL when shown or mailed.
    endpoint: Mapped[str] = mapped_column(String(80))
    endpoint_args: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)


class DigestSent(Base):
    """One row per person and day: claimed before the digest is sent, so two runs of the
    command (or two machines) never send the same day's digest twice."""

    __tablename__ = "lms_digest_sent"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# The bell on every page: counted in the statement that loads the signed-in person.
User.unread_notifications = column_property(
    select(func.count()).where(Notification.user_id == User.id, Notification.read_at.is_(None))
    .correlate_except(Notification).scalar_subquery(), deferred=True, group=SESSION_GROUP)
