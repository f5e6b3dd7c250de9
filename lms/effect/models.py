"""What the effectiveness page records of its own: each remedy a coach took from the gap
report, with the gap it was for and that cell's score at that moment."""

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow

KINDS = ("assignment", "one_on_one")


class GapRemedy(Base):
    """A remedy for one agent x topic x dimension cell: an assignment made from the gap report,
    or a 1:1 logged on a belief or support gap. ``score_before`` is the cell's score as the
    report showed it when the coach acted (None when it had no evidence yet)."""

    __tablename__ = "lms_gap_remedy"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS!r}", name="kind"),
        CheckConstraint("(assignment_id IS NULL) != (one_on_one_id IS NULL)", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    topic: Mapped[str] = mapped_column(String(32))
    dimension: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("lms_assignment.id", ondelete="CASCADE"),
                                                      unique=True)
    one_on_one_id: Mapped[int | None] = mapped_column(ForeignKey("lms_one_on_one.id", ondelete="CASCADE"),
                                                      unique=True)
    score_before: Mapped[float | None] = mapped_column(Float)
    evidence_before: Mapped[int]
    status_before: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
