"""The pulses, stored so that no page, export or query can tie an answer to a person: a
receipt says who answered a period's pulse (and nothing of what), and the answers are only
counted, per group, period, item and answer, as they arrive (tally.py: how the counts are written)."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from ..accounts.models import SESSION_GROUP, User
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


class CultureReceipt(Base):
    """That a person answered one period's culture pulse, so they are asked once, and the
    group their answers were counted in (their team; the site's coaches when ``team_id`` is
    None). Nothing of what they answered, and no time finer than the period."""

    __tablename__ = "lms_culture_receipt"
    __table_args__ = (UniqueConstraint("user_id", "period_start"),
                      Index("ix_lms_culture_receipt_site_id_period_start", "site_id", "period_start"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("lms_site.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("lms_team.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)


class CultureTally(Base):
    """How many of a group (a team's agents, or the site's coaches when ``team_id`` is None)
    gave ``answer`` (1-5) to one culture statement in one period. Every row of a group and
    period is written at its first answer and rewritten at each answer (see tally.py)."""

    __tablename__ = "lms_culture_tally"
    __table_args__ = (UniqueConstraint("site_id", "team_id", "period_start", "item_id", "answer",
                                       name="uq_lms_culture_tally_cell", postgresql_nulls_not_distinct=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("lms_site.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("lms_team.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    item_id: Mapped[str] = mapped_column(String(120))
    # Kept from the statement when counted, so reports stand whatever the file says later.
    lens: Mapped[str] = mapped_column(String(16))
    reversed: Mapped[bool] = mapped_column(Boolean)
    answer: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)


# Whether the culture pulse is due (the to-do list, the coaching dashboard): the last period the
# person answered, loaded with the signed-in person in the same statement.
User.last_culture_period = column_property(
    select(func.max(CultureReceipt.period_start)).where(CultureReceipt.user_id == User.id)
    .correlate_except(CultureReceipt).scalar_subquery(), deferred=True, group=SESSION_GROUP)
