"""What the LTI tool stores: registered platforms, who is who on each, which course is which
team, where a launched activity's score goes, and the short-lived OIDC state."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Site, Team, User
from ..db import Base, utcnow


class LtiPlatform(Base):
    """One registration of this tool in a platform: (issuer, client id) names it."""

    __tablename__ = "lms_lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_lms_lti_platform_issuer_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    key_set_url: Mapped[str] = mapped_column(String(500))
    audience: Mapped[str | None] = mapped_column(String(500))  # of access-token requests; token URL if empty
    deployment_ids: Mapped[list] = mapped_column(JSON, default=list)
    site_id: Mapped[int] = mapped_column(ForeignKey("lms_site.id"))  # where its people and courses land
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    site: Mapped[Site] = relationship()


class LtiAccount(Base):
    """A person of an issuer (its ``sub``, stable across the issuer's registrations) linked to
    their CX Academy account; ``platform_id`` is the registration they first came through."""

    __tablename__ = "lms_lti_account"
    __table_args__ = (UniqueConstraint("issuer", "sub", name="uq_lms_lti_account_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    sub: Mapped[str] = mapped_column(String(255))
    platform_id: Mapped[int] = mapped_column(ForeignKey("lms_lti_platform.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship()


class LtiContext(Base):
    """A platform's course, which is one of our teams; its roster URL for NRPS."""

    __tablename__ = "lms_lti_context"
    __table_args__ = (UniqueConstraint("platform_id", "context_id", name="uq_lms_lti_context"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lms_lti_platform.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    team_id: Mapped[int] = mapped_column(ForeignKey("lms_team.id"), index=True)
    memberships_url: Mapped[str | None] = mapped_column(String(500))
    deployment_id: Mapped[str] = mapped_column(String(255))

    platform: Mapped[LtiPlatform] = relationship()
    team: Mapped[Team] = relationship()


class LtiScoreRoute(Base):
    """Where the score of one activity, for one person, goes: the line item of the link they
    launched it from. Written at launch; read when they finish it. A link launched with only
    the line items container (``lineitems_url``) has no line item yet: the first score finds
    or makes it (lineitems.resolve) and stores it here."""

    __tablename__ = "lms_lti_score_route"
    __table_args__ = (UniqueConstraint("user_id", "activity", "lineitem_url", name="uq_lms_lti_score_route"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    activity: Mapped[str] = mapped_column(String(160))  # "quiz:basics-quiz", "module:basics", "roleplay:rp-late"
    platform_id: Mapped[int] = mapped_column(ForeignKey("lms_lti_platform.id", ondelete="CASCADE"))
    lineitem_url: Mapped[str | None] = mapped_column(String(500))  # None: not found or made yet
    sub: Mapped[str] = mapped_column(String(255))
    lineitems_url: Mapped[str | None] = mapped_column(String(500))  # the container, for a link without a line item
    resource_link_id: Mapped[str | None] = mapped_column(String(255))


class LtiState(Base):
    """pylti1p3's launch state (nonces, state, launch data) in the database, so the OIDC
    login and the launch may land on different workers. Rows expire."""

    __tablename__ = "lms_lti_state"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
