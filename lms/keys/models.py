"""The site's signing keys, kept in the database so that every worker and machine signs with
the same key and publishes the same key set."""

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


#: A key that still signs; there is at most one per algorithm (the database decides a race).
CURRENT_SQL = "retired_at IS NULL"


class SigningKey(Base):
    __tablename__ = "lms_signing_key"
    __table_args__ = (
        Index("uq_lms_signing_key_current", "alg", unique=True,
              sqlite_where=text(CURRENT_SQL), postgresql_where=text(CURRENT_SQL)),
    )

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(16), index=True)  # RS256 (LTI) | EdDSA (badges)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A retired key signs nothing new but stays published, so what it signed still verifies.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def private_key(self):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        return load_pem_private_key(self.private_pem.encode(), password=None)

    @property
    def public_jwk(self):
        from .store import ALGORITHMS

        jwk = ALGORITHMS[self.alg].to_jwk(self.private_key.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": self.alg, "use": "sig"}
