"""The support pulse, stored so that no page, export or query can tie an answer to a person:
a receipt says who answered a period's pulse (and nothing of what), and the answers are only
counted, per team, period, item and answer, as they arrive."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class PulseReceipt(Base):
    """That an agent answered the pulse of one period, so they are asked once."""

    __tablename__ = "lms_pulse_receipt"
    __table_args__ = (UniqueConstraint("user_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    # The team the agent answered about: its respondents are counted from these.
    team_id: Mapped[int] = mapped_column(ForeignKey("lms_team.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)


class PulseTally(Base):
    """How many of a team's agents gave ``answer`` (1-5) to one pulse item in one period."""

    __tablename__ = "lms_pulse_tally"
    __table_args__ = (UniqueConstraint("team_id", "period_start", "item_id", "answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("lms_team.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    item_id: Mapped[str] = mapped_column(String(120))
    # Kept from the item when counted, so reports stand whatever the files say later.
    topic: Mapped[str] = mapped_column(String(32))
    reversed: Mapped[bool] = mapped_column(Boolean)
    answer: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
