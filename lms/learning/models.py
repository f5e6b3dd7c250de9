"""Learner state: lessons read, quiz attempts with their answers, modules completed."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, utcnow

OPEN, SUBMITTED, EXPIRED = "open", "submitted", "expired"
#: Who closed a submitted attempt: the learner's own post, or the deadline (graded on the
#: answers saved by then).
BY_LEARNER, BY_DEADLINE = "learner", "deadline"


class LessonRead(Base):
    """The first time a learner opened a lesson."""

    __tablename__ = "lms_lesson_read"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(120))
    lesson_version: Mapped[int]
    read_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class QuizAttempt(Base):
    """One try at a quiz, with the items it drew (its answers). At most one may be open per
    learner and quiz: a partial unique index enforces it, so two tabs or two workers can never
    open a second one."""

    __tablename__ = "lms_quiz_attempt"
    __table_args__ = (
        Index(
            "uq_lms_quiz_attempt_open", "user_id", "quiz_id", unique=True,
            sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'"),
        ),
        # A learner's attempts at one quiz (a later pass, the retake rules) are found by both:
        # read by quiz alone, a quiz everyone took is read whole for each learner.
        Index("ix_lms_quiz_attempt_user_quiz", "user_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    quiz_id: Mapped[str] = mapped_column(String(120), index=True)
    quiz_version: Mapped[str] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(32))  # kept so reports need no content files
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    closed_by: Mapped[str | None] = mapped_column(String(16))  # BY_LEARNER | BY_DEADLINE
    # The language the attempt was opened in: what "the longest option shown" is measured in.
    locale: Mapped[str | None] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A digest of the posted answers: the same post again replays this attempt's result.
    submission_digest: Mapped[str | None] = mapped_column(String(64))
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    answers: Mapped[list["AttemptAnswer"]] = relationship(order_by="AttemptAnswer.position",
                                                          cascade="all, delete-orphan")


class AttemptAnswer(Base):
    """One item an attempt drew, in the place and option order it was shown in; the learner's
    response as last saved, and once graded what it was worth."""

    __tablename__ = "lms_attempt_answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "item_id"),
        # Item analysis reads every answer grouped by these, in this order, off this index alone
        # (item_analysis/queries.py): no sort, no look-up of the attempt.
        Index("ix_lms_attempt_answer_stats", "item_id", "response", "value", "rest_score", "locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("lms_quiz_attempt.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(120))
    position: Mapped[int | None] = mapped_column(Integer)  # 1, 2, ... as shown
    # Option ids in the order shown; the page posts positions, so the key is in no markup.
    option_order: Mapped[list | None] = mapped_column(JSON)
    response: Mapped[str | None] = mapped_column(Text)  # JSON; null when left blank
    saved_at: Mapped[datetime | None] = mapped_column(DateTime)  # the last autosave or post
    locale: Mapped[str | None] = mapped_column(String(8))  # the language it was answered in
    value: Mapped[float | None] = mapped_column(Float)  # set when graded
    points: Mapped[float] = mapped_column(Float, default=0)
    # The attempt's other marked items' share of their maximum, set when graded: what this
    # item's discrimination is measured against.
    rest_score: Mapped[float | None] = mapped_column(Float)


class AttemptScore(Base):
    """A graded attempt's points per topic x dimension of its items: what the result page
    breaks the score down by, and the per-attempt totals item analysis needs to tell how
    reliably each topic x dimension is measured (without re-reading every answer)."""

    __tablename__ = "lms_attempt_score"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("lms_quiz_attempt.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    items: Mapped[int] = mapped_column(Integer)
    points: Mapped[float] = mapped_column(Float)
    points_sq: Mapped[float] = mapped_column(Float)  # the sum of its items' points squared, for variances
    max_points: Mapped[float] = mapped_column(Float)


class ModuleCompletion(Base):
    """A module is complete when every lesson has been opened and its quiz passed; kept once,
    with the attempt that passed."""

    __tablename__ = "lms_module_completion"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(120))
    attempt_id: Mapped[int] = mapped_column(ForeignKey("lms_quiz_attempt.id"))
    completed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
