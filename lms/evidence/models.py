"""Evidence: the gap model's only input (GAP_MODEL.md). Each row carries its topic,
dimension and content version, so reports stand even after the files change.

It lives below the features: learning, role-plays and coaching write it (through
``lms.evidence.record``) and gaps reads it, and none of them needs another to do so."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow

EPOCH = datetime(1970, 1, 1)


def epoch_day(moment):
    """Days since 1970-01-01 as a number: what the weights are computed from, in SQL, without
    parsing a date per row on either engine."""
    return (moment - EPOCH).total_seconds() / 86400


def _epoch_day_default(context):
    return epoch_day(context.get_current_parameters().get("created_at") or utcnow())


class Evidence(Base):
    __tablename__ = "lms_evidence"
    __table_args__ = (
        UniqueConstraint("source", "source_id", "item_id"),
        # Covers the gap computation: grouped by agent x topic x dimension, read from the index.
        Index("ix_lms_evidence_cells", "user_id", "topic", "dimension", "at_day", "value", "source"),
        # Covers the few days' rows a report of today folds itself: those its cells have not
        # settled yet (see gaps.queries._unsettled).
        Index("ix_lms_evidence_recent", "at_day", "user_id", "topic", "dimension", "value", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(32))
    dimension: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    # Where it came from, e.g. ("quiz", "<attempt id>"); unique with the item, so the same
    # answer can never be counted twice.
    source: Mapped[str] = mapped_column(String(32))
    source_id: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    at_day: Mapped[float] = mapped_column(Float, default=_epoch_day_default)
