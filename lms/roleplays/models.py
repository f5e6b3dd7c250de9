"""Role-play runs: each step the agent took, and coaches' reviews of typed replies."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
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

OPEN, FINISHED = "open", "finished"


class RoleplayRun(Base):
    """One play of a scenario; one open run per agent and scenario (partial unique index)."""

    __tablename__ = "lms_roleplay_run"
    __table_args__ = (
        Index("uq_lms_roleplay_run_open", "user_id", "roleplay_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    roleplay_id: Mapped[str] = mapped_column(String(120), index=True)
    topic: Mapped[str] = mapped_column(String(32))  # kept so reports need no content files
    version: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    current_node: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(16))
    # Seeds the order of each node's choices for this run (engine.shown_choices).
    shuffle_seed: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    steps: Mapped[list["RoleplayStep"]] = relationship(order_by="RoleplayStep.seq", cascade="all, delete-orphan")


class RoleplayStep(Base):
    """One reply of the agent at one node. (run, seq) is unique: a repeated post of the same
    step cannot be stored twice."""

    __tablename__ = "lms_roleplay_step"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("lms_roleplay_run.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(120))
    choice_id: Mapped[str | None] = mapped_column(String(60))
    typed_reply: Mapped[str | None] = mapped_column(Text)
    persona_answer: Mapped[str | None] = mapped_column(String(60))
    persona_correct: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    review: Mapped["ReplyReview | None"] = relationship(back_populates="step", uselist=False)


class ReplyReview(Base):
    """A coach's rubric scores and comment on a typed reply (one review per reply)."""

    __tablename__ = "lms_reply_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("lms_roleplay_step.id", ondelete="CASCADE"), unique=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id"))
    scores: Mapped[dict] = mapped_column(JSON)  # criterion id -> points given
    # The top of the scale they were given on (0-4 before the anchored 0-2 rubric).
    max_points: Mapped[int] = mapped_column(Integer, server_default=text("4"))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    step: Mapped[RoleplayStep] = relationship(back_populates="review")
