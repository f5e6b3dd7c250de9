"""A customer's praise of an agent, recorded by name by a coach, a manager or a colleague."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import Base, utcnow


class Praise(Base):
    """What a customer said about an agent, where and when; a leader's backing (their own
    record, or their acknowledgement of a colleague's) is a support signal (recording.py)."""

    __tablename__ = "lms_praise"
    __table_args__ = (Index("ix_lms_praise_agent_day", "user_id", "received_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))  # the agent praised
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    # Whether the recorder was a leader then: roles change, the signal they gave does not.
    by_leader: Mapped[bool] = mapped_column(Boolean)
    said: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    # What the customer praised: the topic whose support cell a leader's backing speaks to.
    topic: Mapped[str] = mapped_column(String(32))
    received_on: Mapped[date] = mapped_column(Date)
    case_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)

    agent: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id], lazy="joined")
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id], lazy="joined")

    @property
    def backed(self):
        """A leader stood behind it: recorded it, or acknowledged a colleague's record."""
        return self.by_leader or self.acknowledged_at is not None
