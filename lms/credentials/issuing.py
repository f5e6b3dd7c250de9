"""Issuing and revoking certificates: plain functions, each one transaction."""

import secrets

from sqlalchemy import select

from .. import db
from ..audit import trail
from ..accounts.models import User
from ..db import utcnow
from ..learning.models import ModuleCompletion
from .models import MODULE, PATH, Certificate


class CertificateRefused(ValueError):
    """A request that cannot be carried out (no reason given, already revoked...)."""


def new_code():
    """128 random bits, URL-safe: unguessable, and short enough to type from paper."""
    return secrets.token_urlsafe(16)


def active_certificate(user_id, kind, subject_id):
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.kind == kind, Certificate.subject_id == subject_id,
        Certificate.revoked_at.is_(None)))


def issue(user, kind, subject_id, title, issued_by=None, now=None):
    """The person's valid certificate for this achievement, issuing it if there is none.
    ``issued_by`` is the manager's User; None when a completion issued it."""
    now = now or utcnow()
    certificate = Certificate(code=new_code(), user_id=user.id, kind=kind, subject_id=subject_id,
                              recipient_name=user.display_name, title=dict(title),
                              issued_by=issued_by.id if issued_by is not None else None, issued_at=now)
    # Recorded with the insert: if a concurrent request issued it first, both roll back together.
    trail.record("certificate.issued", issued_by, user, f"certificate:{certificate.code}",
                 after={"kind": kind, "subject": subject_id, "status": "valid"}, at=now)
    return db.add_or_get(certificate, lambda: active_certificate(user.id, kind, subject_id))


def issue_for_completion(catalog, user_id, module_id, now=None):
    """After a module is completed: its certificate, and the path's when every step is done."""
    user = db.session.get(User, user_id)
    module = catalog.modules[module_id]
    issued = [issue(user, MODULE, module.id, module.title, now=now)]
    if catalog.path and module_id in {s.module_id for s in catalog.path.steps}:
        done = set(db.session.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user_id)))
        if {s.module_id for s in catalog.path.steps} <= done:
            issued.append(issue(user, PATH, catalog.path.id, catalog.path.title, now=now))
    return issued


def may_issue(catalog, user_id, kind, subject_id):
    """A manager may issue a certificate only for an achievement the person has completed."""
    done = set(db.session.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user_id)))
    if kind == MODULE:
        return subject_id in catalog.modules and subject_id in done
    return catalog.path is not None and subject_id == catalog.path.id and {
        s.module_id for s in catalog.path.steps} <= done


def revoke(certificate, reason, by, now=None):
    """Revoke with a reason (required); the public verification page then says revoked."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused("a reason is required")
    if certificate.revoked_at is not None:
        raise CertificateRefused("already revoked")
    before = certificate.status_at(now)
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = now, by.id, reason[:1000]
    trail.record("certificate.revoked", by, db.session.get(User, certificate.user_id),
                 f"certificate:{certificate.code}", before={"status": before}, after={"status": "revoked"},
                 reason=reason[:1000], at=now)
    db.session.commit()
