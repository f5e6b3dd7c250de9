"""Self-reviews of real calls: the call as the agent describes it, their rubric scores and
what they would do differently, then their coach's scores of the same call."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow

#: The ways a customer reached the agent. No recording is ever stored: the agent pastes a
#: transcript or writes notes, so nothing of the customer's voice is kept.
CHANNELS = ("phone", "chat", "email", "social")


class CallReview(Base):
    """One real call or chat an agent scored themselves; calibrated once their coach scored it."""

    __tablename__ = "lms_call_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    # The role-play whose rubric the call is scored with, and what of it the pages and the
    # evidence need, kept so that a later edit of the file changes no stored review.
    roleplay_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    criteria: Mapped[list] = mapped_column(JSON)  # [{"id", "dimension", "name": {lang: text}}]
    reference: Mapped[str] = mapped_column(String(60))  # the call's or ticket's id in the site's own system
    call_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    transcript: Mapped[str] = mapped_column(Text)
    self_scores: Mapped[dict] = mapped_column(JSON)  # criterion id -> points
    differently: Mapped[str] = mapped_column(Text)  # what the agent would do differently
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    coach_scores: Mapped[dict | None] = mapped_column(JSON)
    coach_comment: Mapped[str | None] = mapped_column(Text)
    calibrated_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def calibrated(self):
        return self.calibrated_at is not None
