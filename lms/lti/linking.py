"""A launch's person and course as CX Academy's account and team: found by (issuer, sub)
and (platform, context id), created on first sight. The platform is the source of truth for
the people it sends: their role follows its roles claim on every launch."""

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from .. import db
from ..accounts.models import Team, TeamCoach, User
from ..audit import trail
from .lineitems import LINEITEM_SCOPE, SCORE_SCOPE, known_lineitem
from .models import LtiAccount, LtiContext, LtiScoreRoute

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
#: The LTI roles that decide ours, strongest first (context, institution and system roles).
ROLE_RULES = (
    ("Administrator", "admin"),
    ("Instructor", "coach"),
    ("Learner", "agent"),
)


def role_from(roles):
    """Learner -> agent, Instructor -> coach, Administrator -> admin; anything else -> agent."""
    names = {uri.rsplit("#", 1)[-1] for uri in roles or () if uri.startswith(LIS) or "#" not in uri}
    for lti_name, ours in ROLE_RULES:
        if lti_name in names:
            return ours
    return "agent"


@dataclass
class Person:
    """Who a launch or a roster line names."""

    sub: str
    roles: list
    name: str | None = None
    email: str | None = None
    username: str | None = None

    @classmethod
    def from_launch(cls, data):
        return cls(data["sub"], data.get(CLAIM + "roles", []), data.get("name"), data.get("email"),
                   data.get("preferred_username"))

    @classmethod
    def from_member(cls, member):
        return cls(member["user_id"], member.get("roles", []), member.get("name"), member.get("email"),
                   member.get("preferred_username") or member.get("lis_person_sourcedid"))


def link_person(platform, person):
    """(account, created): created and audited on first sight; the role follows the claim."""
    account = db.session.scalar(select(LtiAccount).where(LtiAccount.issuer == platform.issuer,
                                                         LtiAccount.sub == person.sub))
    role = role_from(person.roles)
    if account is not None:
        user = account.user
        if user.role != role:
            trail.record("person.changed", person=user, before={"role": user.role}, after={"role": role},
                         reason=f"LTI roles from {platform.name}")
            user.role = role
        return user, False
    user = User(username=_free_username(person), display_name=(person.name or person.username or person.sub)[:120],
                email=_free_email(person.email), role=role, site_id=platform.site_id)
    db.session.add(user)
    db.session.flush()
    db.session.add(LtiAccount(issuer=platform.issuer, sub=person.sub, platform_id=platform.id, user_id=user.id))
    trail.record("person.created", person=user, after={"role": role, "lti": platform.name},
                 reason=f"first seen on {platform.name} (LTI)")
    return user, True


def link_context(platform, claim, deployment_id, memberships_url=None):
    """The team of a platform's course, created on first sight in the platform's site. A team
    of the same name already there is taken: an admin may prepare it."""
    context = db.session.scalar(select(LtiContext).where(LtiContext.platform_id == platform.id,
                                                         LtiContext.context_id == claim["id"]))
    if context is None:
        title = (claim.get("title") or claim.get("label") or claim["id"])[:120]
        team = db.session.scalar(select(Team).where(Team.site_id == platform.site_id,
                                                    func.lower(Team.name) == title.lower()))
        if team is None:
            team = Team(name=title, site_id=platform.site_id)
            db.session.add(team)
            db.session.flush()
            trail.record("team.created", target=f"team:{team.id}", after={"name": title},
                         reason=f"LTI course from {platform.name}", site_id=platform.site_id)
        context = LtiContext(platform_id=platform.id, context_id=claim["id"], title=title, team_id=team.id,
                             deployment_id=deployment_id)
        db.session.add(context)
    if memberships_url:
        context.memberships_url = memberships_url
    db.session.flush()
    return context


def join_team(user, team_id):
    """Agents belong to the course's team; coaches coach it; admins see every team already."""
    if user.role == "agent":
        user.team_id = team_id
    elif user.role == "coach" and db.session.get(TeamCoach, (team_id, user.id)) is None:
        db.session.add(TeamCoach(team_id=team_id, user_id=user.id))


def route_scores(user, platform, activity, sub, ags_claim, resource_link_id):
    """Remember where this launch's score goes: the link's line item, or, for a link that has
    none, the line items container where the first score finds or makes one (lineitems.py).
    Returns why no score will be sent, or None when one will."""
    claim = ags_claim or {}
    scopes = claim.get("scope", [])
    if SCORE_SCOPE not in scopes:
        return "no score scope"
    if claim.get("lineitem"):
        where = {"lineitem_url": claim["lineitem"]}
    elif claim.get("lineitems") and LINEITEM_SCOPE in scopes and resource_link_id:
        where = {"lineitems_url": claim["lineitems"], "resource_link_id": resource_link_id}
    else:
        return "no line item, and no right to make one"
    exists = db.session.scalar(select(LtiScoreRoute.id).filter_by(user_id=user.id, activity=activity, **where))
    if exists is None:
        route = LtiScoreRoute(user_id=user.id, activity=activity, platform_id=platform.id, sub=sub, **where)
        if route.lineitem_url is None:  # someone else's score may have found or made it already
            route.lineitem_url = known_lineitem(platform.id, activity, **where)
        db.session.add(route)
    return None


def _free_username(person):
    base = re.sub(r"[^a-z0-9._-]+", "", (person.username or (person.email or "").split("@")[0] or "lti").lower())
    base = (base or "lti")[:60]
    taken = set(db.session.scalars(select(func.lower(User.username)).where(User.username.ilike(f"{base}%"))))
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


def _free_email(email):
    """The platform's e-mail, unless a local account holds it already (no merging by e-mail:
    that would hand a platform the power to take over an account)."""
    if not email:
        return None
    email = email.strip().lower()
    return None if db.session.scalar(select(User.id).where(User.email == email)) else email
