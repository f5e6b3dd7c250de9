"""Issued certificates. The name and titles are kept as they were on the day of issue, so a
certificate reads the same after a rename or a content edit."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow

MODULE, PATH = "module", "path"
#: Neither revoked nor replaced by a renewal (an expired one is still current until renewed).
CURRENT_SQL = "revoked_at IS NULL AND renewed_by_id IS NULL"


class Certificate(Base):
    __tablename__ = "lms_certificate"
    __table_args__ = (
        # One current certificate per person and achievement; a revoked or renewed one may be
        # followed by a new one.
        Index("uq_lms_certificate_active", "user_id", "kind", "subject_id", unique=True,
              sqlite_where=text(CURRENT_SQL), postgresql_where=text(CURRENT_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # unguessable; the public verification key
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # module | path
    subject_id: Mapped[str] = mapped_column(String(120))
    recipient_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[dict] = mapped_column(JSON)  # lang -> title of what was completed
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id"))  # None: issued automatically
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    restored_at: Mapped[datetime | None] = mapped_column(DateTime)
    restored_by: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id"))
    restore_reason: Mapped[str | None] = mapped_column(Text)
    # Achievements that must be renewed (a policy certificate each year) carry an end date.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)  # the expiry reminder went out
    # Customers' praise of the holder since their previous certificate (or ever), as counted on
    # the day of issue, and the day it is counted from: the page says so if the template wants.
    praise_count: Mapped[int | None] = mapped_column()
    praise_since: Mapped[date | None] = mapped_column(Date)
    renewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_certificate.id"))  # its successor
    # Its bit in the badge status lists (credentials/status.py), given when its badge is first
    # exported; list number = status_index // LIST_SIZE.
    status_index: Mapped[int | None] = mapped_column(unique=True)

    def status_at(self, now):
        """revoked | renewed | expired | valid."""
        if self.revoked_at:
            return "revoked"
        if self.renewed_by_id:
            return "renewed"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "valid"

    @property
    def status(self):
        return self.status_at(utcnow())

    @classmethod
    def is_current(cls):
        """SQL of CURRENT_SQL: neither revoked nor renewed."""
        return cls.revoked_at.is_(None) & cls.renewed_by_id.is_(None)
