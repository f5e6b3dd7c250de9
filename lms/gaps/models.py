"""What gaps keep of their own: running sums over the evidence (lms.evidence), and each
site's parameters of the gap model."""

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


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
