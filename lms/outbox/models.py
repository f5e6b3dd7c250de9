"""Deliveries to other systems, waiting or done: the outbox."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


class Delivery(Base):
    """One payload for one channel ("xapi", "lti_score", ...). ``key`` makes it idempotent:
    the same event enqueued twice is one row, so it is sent once."""

    __tablename__ = "lms_delivery"
    __table_args__ = (
        UniqueConstraint("channel", "key"),
        # The sweep's question: what is due and not sent.
        Index("ix_lms_delivery_due", "sent_at", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
