"""The sums item analysis reads, as a job last took them: the page shows these, so no admin's
request reads every graded answer (most of a second at 100,000 attempts, bench/items.py)."""

from datetime import datetime

from sqlalchemy import JSON, DateTime
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class ItemSnapshot(Base):
    """``sums`` is queries.read_sums() as JSON: the statistics are computed from it when the page
    is shown, against the content of that moment (an item since removed drops out)."""

    __tablename__ = "lms_item_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    sums: Mapped[dict] = mapped_column(JSON)
