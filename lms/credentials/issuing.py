"""Issuing, renewing, revoking and restoring certificates: plain functions, each in its
caller's transaction (a completion's issue is stored with the quiz pass that earned it), each
recorded in the audit trail and told to the holder."""

import secrets

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import db, events
from ..audit import trail
from ..accounts.models import User
from ..coaching.notifications import notify
from ..db import utcnow
from ..learning.models import ModuleCompletion
from ..recognition import listing as praise_listing
from .expiry import add_months, is_renewable
from .models import MODULE, PATH, Certificate

MINE = "lms.credentials.mine"  # where the holder's notifications lead


class CertificateRefused(ValueError):
    """A request that cannot be carried out; ``why`` says which rule refused it: reason (none
    given), revoked (already), renewed (replaced by its renewal), not_revoked, current (the
    holder has another current certificate for the same achievement)."""

    def __init__(self, why):
        super().__init__(why)
        self.why = why


def new_code():
    """128 random bits, URL-safe: unguessable, and short enough to type from paper."""
    return secrets.token_urlsafe(16)


def active_certificate(user_id, kind, subject_id):
    """The person's current certificate for an achievement (valid or expired), or None."""
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.kind == kind, Certificate.subject_id == subject_id,
        Certificate.is_current()))


def policy_of(catalog, kind, subject_id):
    """The achievement's CertificatePolicy (valid months, renewing quiz), or None: never expires."""
    module = catalog.modules.get(subject_id) if kind == MODULE else None
    return module.certificate if module is not None else None


def title_of(catalog, kind, subject_id):
    """The achievement's titles today, per language (a certificate keeps those of its day)."""
    return catalog.modules[subject_id].title if kind == MODULE else catalog.path.title


def _new(user, kind, subject_id, title, policy, issued_by, now):
    praise_count, praise_since = _praise(user.id, now)
    return Certificate(code=new_code(), user_id=user.id, kind=kind, subject_id=subject_id,
                       recipient_name=user.display_name, title=dict(title),
                       issued_by=issued_by.id if issued_by is not None else None, issued_at=now,
                       expires_at=add_months(now, policy.valid_months) if policy is not None else None,
                       praise_count=praise_count, praise_since=praise_since)


def _praise(user_id, now):
    """Customers' praise of the person since their previous certificate (ever, for a first
    one), and the day it counts from: that certificate's, or the first praise's; (None, None)
    when there is none."""
    previous = db.session.scalar(select(func.max(Certificate.issued_at)).where(
        Certificate.user_id == user_id, Certificate.issued_at < now))
    count, first = praise_listing.since(user_id, previous)
    if not count:
        return None, None
    return count, previous.date() if previous is not None else first


def _until(certificate):
    return certificate.expires_at.date().isoformat() if certificate.expires_at else None


def issue(user, kind, subject_id, title, issued_by=None, now=None, policy=None):
    """The person's current certificate for this achievement, issuing it if there is none.
    ``issued_by`` is the manager's User (None when a completion issued it); ``policy`` gives
    the new certificate its end date."""
    now = now or utcnow()
    certificate = _new(user, kind, subject_id, title, policy, issued_by, now)
    # In the caller's transaction (a completion's, a manager's): one current certificate per
    # achievement, decided by a unique index; a concurrent request's twin wins quietly.
    current = db.insert_or_get(certificate, lambda: active_certificate(user.id, kind, subject_id))
    if current is not certificate:
        return current
    trail.record("certificate.issued", issued_by, user, f"certificate:{certificate.code}",
                 after={"kind": kind, "subject": subject_id, "status": "valid", "expires_at": certificate.expires_at},
                 at=now)
    notify([user.id], "certificate_issued", {"title": certificate.title, "until": _until(certificate)}, MINE, now=now)
    events.happen("certificate_issued", certificate=certificate)
    return certificate


def award(catalog, user, kind, subject_id, issued_by=None, now=None):
    """For an achievement the person completed: a new certificate if they hold none, a
    renewal if theirs is expiring or expired, else the one they hold."""
    now = now or utcnow()
    policy = policy_of(catalog, kind, subject_id)
    current = active_certificate(user.id, kind, subject_id)
    if current is None:
        return issue(user, kind, subject_id, title_of(catalog, kind, subject_id), issued_by, now, policy)
    if is_renewable(current, now):
        return renew(catalog, current, issued_by, now)
    return current


def _completed(user_id):
    return set(db.session.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user_id)))


def issue_for_completion(catalog, user_id, module_id, now=None):
    """After a module is completed: its certificate, and the path's when every step is done."""
    user = db.session.get(User, user_id)
    issued = [award(catalog, user, MODULE, module_id, now=now)]
    if catalog.path and module_id in {s.module_id for s in catalog.path.steps}:
        if {s.module_id for s in catalog.path.steps} <= _completed(user_id):
            issued.append(award(catalog, user, PATH, catalog.path.id, now=now))
    return issued


def renew_on_pass(catalog, user_id, quiz_id, now=None):
    """A pass of a quiz that renews certificates (a module's refresher or its own quiz)
    renews the person's expiring or expired ones; the renewed certificates."""
    now = now or utcnow()
    renewed = []
    for module in catalog.modules.values():
        if module.certificate is None or quiz_id not in (module.certificate.renew_with, module.quiz_id):
            continue
        current = active_certificate(user_id, MODULE, module.id)
        if current is not None and is_renewable(current, now):
            renewed.append(renew(catalog, current, None, now))
    return renewed


def renew(catalog, old, by=None, now=None):
    """Replace ``old`` by a new certificate (new code, new end date) in the caller's
    transaction; the old one reads "renewed". Returns the holder's current certificate afterwards."""
    now = now or utcnow()
    # Only one current certificate per achievement (a partial unique index, not deferrable):
    # ``old`` leaves that set first, pointing at itself until its successor has an id.
    won = db.session.execute(update(Certificate).where(Certificate.id == old.id, Certificate.is_current())
                             .values(renewed_by_id=old.id).execution_options(synchronize_session=False)).rowcount
    if won != 1:  # renewed or revoked meanwhile: nothing was changed
        return active_certificate(old.user_id, old.kind, old.subject_id)
    user = db.session.get(User, old.user_id)
    new = _new(user, old.kind, old.subject_id, title_of(catalog, old.kind, old.subject_id),
               policy_of(catalog, old.kind, old.subject_id), by, now)
    db.session.add(new)
    db.session.flush()
    db.session.execute(update(Certificate).where(Certificate.id == old.id).values(renewed_by_id=new.id)
                       .execution_options(synchronize_session=False))
    trail.record("certificate.renewed", by, user, f"certificate:{new.code}",
                 before={"code": old.code, "expires_at": old.expires_at, "status": old.status_at(now)},
                 after={"code": new.code, "expires_at": new.expires_at, "status": "valid"}, at=now)
    notify([user.id], "certificate_renewed", {"title": new.title, "until": _until(new)}, MINE, now=now)
    db.session.refresh(old)
    events.happen("certificate_issued", certificate=new)
    return new


def may_issue(catalog, user_id, kind, subject_id):
    """A manager may issue a certificate only for an achievement the person has completed."""
    done = _completed(user_id)
    if kind == MODULE:
        return subject_id in catalog.modules and subject_id in done
    return catalog.path is not None and subject_id == catalog.path.id and {
        s.module_id for s in catalog.path.steps} <= done


def _reason(reason):
    reason = (reason or "").strip()[:1000]
    if not reason:
        raise CertificateRefused("reason")
    return reason


def revoke(certificate, reason, by, now=None):
    """Revoke with a reason (required); the public verification page then says revoked."""
    now = now or utcnow()
    reason = _reason(reason)
    before = certificate.status_at(now)
    if before in ("revoked", "renewed"):
        raise CertificateRefused(before)
    certificate.revoked_at, certificate.revoked_by, certificate.revoke_reason = now, by.id, reason
    holder = db.session.get(User, certificate.user_id)
    trail.record("certificate.revoked", by, holder, f"certificate:{certificate.code}", before={"status": before},
                 after={"status": "revoked"}, reason=reason, at=now)
    notify([holder.id], "certificate_revoked", {"title": certificate.title, "by": by.display_name, "reason": reason},
           MINE, now=now)
    events.happen("certificate_revoked", certificate=certificate)
    events.commit()


def restore(certificate, reason, by, now=None):
    """Undo a revocation, with a reason (required). Refused while the holder has another
    current certificate for the same achievement (issued after the revocation). The
    revocation's who, when and why stay in the audit trail."""
    now = now or utcnow()
    reason = _reason(reason)
    if certificate.revoked_at is None:
        raise CertificateRefused("not_revoked")
    if active_certificate(certificate.user_id, certificate.kind, certificate.subject_id) is not None:
        raise CertificateRefused("current")
    before = {"status": "revoked", "revoked_at": certificate.revoked_at, "revoke_reason": certificate.revoke_reason}
    certificate.revoked_at = certificate.revoked_by = certificate.revoke_reason = None
    certificate.restored_at, certificate.restored_by, certificate.restore_reason = now, by.id, reason
    holder = db.session.get(User, certificate.user_id)
    trail.record("certificate.restored", by, holder, f"certificate:{certificate.code}", before=before,
                 after={"status": certificate.status_at(now)}, reason=reason, at=now)
    notify([holder.id], "certificate_restored", {"title": certificate.title, "by": by.display_name,
                                                 "reason": reason}, MINE, now=now)
    try:
        db.session.flush()
    except IntegrityError:  # another certificate became current at the same moment
        db.session.rollback()
        raise CertificateRefused("current") from None
    events.happen("certificate_restored", certificate=certificate)
    events.commit()
