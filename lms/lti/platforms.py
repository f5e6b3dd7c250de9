"""Registering platforms (by the admin page and the command line alike): every value checked,
each error naming its field, nothing stored unless all are good."""

import json
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update

from .. import db
from ..accounts.models import Site
from ..audit import trail
from ..i18n import _
from ..values import Invalid
from .models import LtiAccount, LtiContext, LtiPlatform, LtiScoreRoute, LtiState

URL_FIELDS = ("auth_login_url", "auth_token_url", "key_set_url")
#: Deployments one registration may list (a platform has one per install; a few at most).
MAX_DEPLOYMENTS = 100


def save_platform(values, platform=None):
    """Add (or change) a platform from plain values; the caller commits. ``deployment_ids`` is
    a list of strings or a text with one per line or comma. Raises Invalid."""
    errors = {}
    clean = {name: (values.get(name) or "").strip() for name in
             ("name", "issuer", "client_id", "audience", *URL_FIELDS)}
    for name in ("name", "issuer", "client_id", *URL_FIELDS):
        if not clean[name]:
            errors[name] = _("This field is needed.")
    for name in (*URL_FIELDS, "issuer"):
        if clean[name] and not _is_web_url(clean[name]):
            errors[name] = _("Give a full web address, starting with https:// (or http:// for a test platform).")
    deployments = values.get("deployment_ids") or []
    if isinstance(deployments, str):
        deployments = deployments.replace(",", "\n").splitlines()
    for name, value in clean.items():  # a longer value would fail the insert on PostgreSQL
        most = LtiPlatform.__table__.c[name].type.length
        if len(value) > most:
            errors[name] = _("Use at most %(most)s characters.", most=most)
    deployments = sorted({d.strip() for d in deployments if d.strip()})
    if not deployments:
        errors["deployment_ids"] = _("Give at least one deployment id.")
    elif len(deployments) > MAX_DEPLOYMENTS or max(map(len, deployments)) > 255:
        errors["deployment_ids"] = _("Give at most %(count)s deployment ids of up to 255 characters each.",
                                     count=MAX_DEPLOYMENTS)
    site = db.session.get(Site, values.get("site_id")) if values.get("site_id") else None
    if site is None:
        errors["site_id"] = _("Choose the site its people and courses belong to.")
    if not errors.get("issuer") and not errors.get("client_id"):
        taken = db.session.scalar(select(LtiPlatform.id).where(LtiPlatform.issuer == clean["issuer"],
                                                               LtiPlatform.client_id == clean["client_id"]))
        if taken is not None and (platform is None or taken != platform.id):
            errors["client_id"] = _("This issuer and client id are registered already.")
    if errors:
        raise Invalid(errors)
    platform = platform or LtiPlatform()
    for name, value in clean.items():
        setattr(platform, name, (value or None) if name == "audience" else value)
    platform.deployment_ids = deployments
    platform.site_id = site.id
    db.session.add(platform)
    db.session.flush()
    return platform


def remove_platform(platform, actor):
    """Forget a registration: the links of its people and courses, its score routes and its
    cached launches go; CX Academy's accounts, teams and all their history stay (an account
    with no link is an ordinary account an admin may deactivate). People linked through it
    stay linked when another registration of the same issuer remains: it takes them over.
    Audited; the caller commits. Scores still waiting in the outbox are dropped when due."""
    heir = db.session.scalar(select(LtiPlatform.id).where(LtiPlatform.issuer == platform.issuer,
                                                          LtiPlatform.id != platform.id).order_by(LtiPlatform.id))
    if heir is not None:
        kept = db.session.execute(update(LtiAccount).where(LtiAccount.platform_id == platform.id)
                                  .values(platform_id=heir)).rowcount
        unlinked = 0
    else:
        kept, unlinked = 0, db.session.execute(delete(LtiAccount).where(LtiAccount.platform_id == platform.id)).rowcount
    courses = db.session.execute(delete(LtiContext).where(LtiContext.platform_id == platform.id)).rowcount
    routes = db.session.execute(delete(LtiScoreRoute).where(LtiScoreRoute.platform_id == platform.id)).rowcount
    launches = [row.key for row in db.session.scalars(select(LtiState).where(LtiState.key.like("%launch%")))
                if _launched_from(json.loads(row.value), platform)]
    if launches:
        db.session.execute(delete(LtiState).where(LtiState.key.in_(launches)))
    trail.record("lti.platform_removed", actor, target=f"lti-platform:{platform.id}", site_id=platform.site_id,
                 before={"name": platform.name, "issuer": platform.issuer, "client_id": platform.client_id},
                 after={"people unlinked": unlinked, "people kept by another registration": kept,
                        "courses unlinked": courses, "score routes": routes})
    db.session.delete(platform)
    db.session.flush()


def _launched_from(data, platform):
    """Whether cached launch data (an id_token's claims) came from this registration."""
    if not isinstance(data, dict) or data.get("iss") != platform.issuer:
        return False
    audience = data.get("aud")
    return platform.client_id in (audience if isinstance(audience, list) else [audience])


def origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def platform_origins():
    """Where registered platforms serve their pages (from their login URLs): the only pages
    that may frame ours."""
    return sorted({origin_of(url) for url in db.session.scalars(select(LtiPlatform.auth_login_url))})


def _is_web_url(value):
    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.netloc) and " " not in value
