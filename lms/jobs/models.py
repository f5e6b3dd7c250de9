"""Background jobs, one row each: what to run, how far it got, and how it ended."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow

#: A job's states, in the order it moves through them (a failed try goes back to "queued"
#: while it has tries left).
STATES = ("queued", "running", "done", "failed")


class Job(Base):
    """``key`` makes a job idempotent: asking twice for the same work (the same print, the
    night's refold) gives the one row, whatever state it is in; a caller puts in the key what
    makes the work new (the certificates printed, the settings' time, the day)."""

    __tablename__ = "lms_job"
    __table_args__ = (
        # The sweep's and the admin page's question: what is queued, running or failed.
        Index("ix_lms_job_state", "state", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    user_id: Mapped[int | None] = mapped_column(Integer)  # who asked for it (None: the schedule)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    last_error: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int | None] = mapped_column(Integer)
    result_file: Mapped[str | None] = mapped_column(String(300))  # a file name in the job's folder
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
