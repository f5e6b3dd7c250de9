"""Sites, teams and people. A person's role decides what they may see (permissions.py)."""

import secrets
from datetime import date, datetime
from functools import cache

from flask_login import UserMixin
from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, false, true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import Base, utcnow

ROLES = ("agent", "coach", "manager", "admin")


class Site(Base):
    """A contact centre; managers see everything in theirs."""

    __tablename__ = "lms_site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Team(Base):
    """A group of agents with one or more coaches."""

    __tablename__ = "lms_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    site_id: Mapped[int] = mapped_column(ForeignKey("lms_site.id"), index=True)

    site: Mapped[Site] = relationship()
    coaches: Mapped[list["User"]] = relationship(secondary="lms_team_coach", order_by="User.display_name")
    agents: Mapped[list["User"]] = relationship(
        back_populates="team", order_by="User.display_name", foreign_keys="User.team_id"
    )


class TeamCoach(Base):
    """Which coaches look after which teams (a coach may have several)."""

    __tablename__ = "lms_team_coach"

    team_id: Mapped[int] = mapped_column(ForeignKey("lms_team.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), primary_key=True)


class User(UserMixin, Base):
    """Anyone who signs in. ``external_id`` links a host application's user; ``employee_id``
    and ``email`` (stored lower-case) are the keys the HR system's export is matched on.
    Nobody is deleted: a leaver is deactivated, their history kept and sign-in refused."""

    __tablename__ = "lms_user"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),
                      # the people page: a page of 50 by name without sorting everyone
                      Index("ix_lms_user_display_name_id", "display_name", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    employee_id: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    email: Mapped[str | None] = mapped_column(String(200), unique=True, index=True)
    wants_email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # the daily digest
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Set by a password reset: the temporary password must be replaced at the next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    role: Mapped[str] = mapped_column(String(16), default="agent")
    locale: Mapped[str] = mapped_column(String(8), default="en")
    site_id: Mapped[int | None] = mapped_column(ForeignKey("lms_site.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("lms_team.id"), index=True)
    hired_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Part of the id in every session cookie (get_id): a new one at sign-out and at every
    # password change revokes the cookies issued before, on the server side. None (accounts
    # made before it existed) until the next sign-in: no cookie is accepted meanwhile.
    session_token: Mapped[str | None] = mapped_column(String(43), default=lambda: new_session_token())

    team: Mapped[Team | None] = relationship(back_populates="agents", foreign_keys=[team_id])
    site: Mapped[Site | None] = relationship()

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)
        self.must_change_password = False
        self.session_token = new_session_token()  # a changed password signs out every session

    def check_password(self, password):
        return password_matches(self, password)

    def get_id(self):
        """Flask-Login's id in the session cookie: the user's id and their current session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        return self.active


#: Deferred columns every page of a signed-in person shows (a feature adds its own, such as
#: the unread notifications count): loaded with the person, in the same statement.
SESSION_GROUP = "session"


def new_session_token():
    return secrets.token_urlsafe(24)


@cache
def _dummy_hash():
    """A hash made like every user's (same algorithm and cost), of a password nobody knows."""
    return generate_password_hash(secrets.token_urlsafe())


def password_matches(user, password):
    """Whether ``password`` is ``user``'s. Exactly one hash is checked whether or not the user
    exists or has a password: a wrong password for an unknown name takes as long as for a
    known one, so the answer's timing does not tell which usernames exist."""
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored or _dummy_hash(), password)
    return matches and stored is not None


class LoginThrottle(Base):
    """Sign-in tries counted in a fixed window per key ("user:<name>" or "ip:<address>"). One
    row per key, raised by a single upsert, so workers and threads never race the count
    (throttle.py)."""

    __tablename__ = "lms_login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime, index=True)


class ImportBatch(Base):
    """An uploaded HR export between its preview and its import. Kept in the database, not in
    a worker's memory, so the confirming request may land on any worker; the plan is worked out
    again from the file when it is applied, against the people as they are then."""

    __tablename__ = "lms_import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)  # in the preview's URL: unguessable
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("lms_site.id"))  # a manager's import: their site only
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    full_roster: Mapped[bool] = mapped_column(Boolean, default=False)  # people missing from it are leavers
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(DateTime)
