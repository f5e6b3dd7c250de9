"""Evidence: the gap model's only input (GAP_MODEL.md). Each row carries its topic,
dimension and content version, so reports stand even after the files change."""

from datetime import datetime

EPOCH = datetime(1970, 1, 1)

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


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
        # settled yet (see queries._unsettled).
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


class EvidenceCell(Base):
    """Running weighted sums of one agent x topic x dimension's evidence, kept by the database
    itself (a trigger, see folding.py) as evidence is written, so a report reads one row per
    cell instead of every evidence row. Weights are relative to the newest evidence of each set
    of sums (``last_day``...): they never overflow, and a mean needs no "now".
    ``half_life_days`` is the one the sums were made with, the agent's site's; reports with
    another one do not use them."""

    __tablename__ = "lms_evidence_cell"

    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    half_life_days: Mapped[float] = mapped_column(Float)
    n: Mapped[int]
    last_day: Mapped[float] = mapped_column(Float)
    swv: Mapped[float] = mapped_column(Float)
    sw: Mapped[float] = mapped_column(Float)
    # The same for what role-plays and coach reviews showed (behaviour), relative to its own newest.
    bn: Mapped[int]
    b_last_day: Mapped[float | None] = mapped_column(Float)
    bswv: Mapped[float] = mapped_column(Float)
    bsw: Mapped[float] = mapped_column(Float)
    # And for the evidence of days up to settled_day (a period and a margin before the cell was
    # folded), from which the score one period ago is taken.
    settled_day: Mapped[float] = mapped_column(Float)
    pn: Mapped[int]
    p_last_day: Mapped[float | None] = mapped_column(Float)
    pswv: Mapped[float] = mapped_column(Float)
    psw: Mapped[float] = mapped_column(Float)


class GapSetting(Base):
    """A site's own parameters of the gap model; missing values use GapSettings' defaults."""

    __tablename__ = "lms_gap_setting"

    site_id: Mapped[int] = mapped_column(ForeignKey("lms_site.id", ondelete="CASCADE"), primary_key=True)
    threshold: Mapped[float] = mapped_column(Float)
    half_life_days: Mapped[float] = mapped_column(Float)
    min_evidence: Mapped[int]
    review_window_days: Mapped[float] = mapped_column(Float)
    followup_days: Mapped[float | None] = mapped_column(Float)
    help_window_days: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
