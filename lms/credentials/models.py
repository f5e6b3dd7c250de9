"""Issued certificates. The name and titles are kept as they were on the day of issue, so a
certificate reads the same after a rename or a content edit."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow

MODULE, PATH = "module", "path"


class Certificate(Base):
    __tablename__ = "lms_certificate"
    __table_args__ = (
        # One valid certificate per person and achievement; a revoked one may be issued anew.
        Index("uq_lms_certificate_active", "user_id", "kind", "subject_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
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

    @property
    def status(self):
        return "revoked" if self.revoked_at else "valid"
