"""Certificate pages: an agent's own, a manager's list (filtered by status, team, dates and
achievement) with bulk printing, issuing, revoking and restoring, the public verification
page, and the Open Badges 3.0 export."""

import re

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from .. import db, events
from ..accounts.identity import require_user
from ..accounts.models import Team, User
from ..accounts.permissions import (
    can_manage_certificate_of,
    can_manage_certificates,
    can_manage_team,
    can_view_learner,
    managed_site_id,
)
from ..content import current_catalog
from ..coaching.assigning import find_target
from ..db import utcnow
from ..i18n import _, current_locale, isolate
from ..params import day_param, parse_id
from . import issuing
from .badges import open_badge
from .published import document
from .signing import CREDENTIAL_TYPE, JWT_TYPE, sign
from .expiry import display_status, expiring_soon
from .models import MODULE, PATH, Certificate
from .printing import issuer_name, pages_for, start_print
from .render import certificates_pdf, page_context

CODE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


def _pdf(rows, filename, lang=None):
    """``rows``: (certificate, holder). Each page is in its holder's language (or ``lang``)
    and names the holder's site as the issuer."""
    if lang is not None and lang not in current_app.config["LMS_LANGUAGES"]:
        abort(400, _("Unknown language."))
    return Response(certificates_pdf(pages_for(rows, lang)), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


def _visible_certificate(user, code):
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code)) if CODE.match(code) else None
    if certificate is None or not can_view_learner(user, db.session.get(User, certificate.user_id)):
        abort(404, _("There is no such certificate among the ones you may see."))
    return certificate


@require_user
def mine(user):
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                      .order_by(Certificate.issued_at.desc())).all()
    now = utcnow()
    states = {c.id: display_status(c, now) for c in certificates}
    renew = {c.id: _renewal_link(c) for c in certificates if states[c.id] in ("expiring", "expired")}
    return render_template("lms/credentials/mine.html", certificates=certificates, states=states, renew=renew)


def _renewal_link(certificate):
    """Where the holder renews an expiring or expired certificate: its renewal quiz."""
    policy = issuing.policy_of(current_catalog(), certificate.kind, certificate.subject_id)
    target = find_target(current_catalog(), f"quiz:{policy.renew_with}") if policy else None
    if target is None:
        return None
    endpoint, args = target.link
    return url_for(endpoint, **args), target.title


@require_user
def download(user, code):
    certificate = _visible_certificate(user, code)
    return _pdf([(certificate, db.session.get(User, certificate.user_id))], f"certificate-{certificate.code}.pdf",
                request.args.get("lang"))


@require_user
def badge(user, code):
    """The Open Badge as JSON, pointing at its signed form (the JWT) for wallets."""
    certificate = _visible_certificate(user, code)
    response = document(open_badge(certificate, db.session.get(User, certificate.user_id)), CREDENTIAL_TYPE)
    response.headers["Link"] = f'<{url_for("lms.credentials.badge_jwt", code=code)}>; rel="alternate"; type="{JWT_TYPE}"'
    return response


@require_user
def badge_jwt(user, code):
    """The signed Open Badge (VC-JWT), a file the holder keeps and shows anywhere."""
    certificate = _visible_certificate(user, code)
    token = sign(open_badge(certificate, db.session.get(User, certificate.user_id)))
    return Response(token, mimetype=JWT_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="badge-{certificate.code}.jwt"'})


def verify(code=None):
    """Public: valid (until when), expired, renewed, revoked or unknown, with what is printed on
    the certificate (so a verifier can compare it with the copy shown to them) and nothing else
    about the person: not their team, username or why a certificate was revoked."""
    code = (code or request.args.get("code") or "").strip()
    if not code:
        return render_template("lms/credentials/verify.html", state=None, code="")
    if not CODE.match(code):
        return render_template("lms/credentials/verify.html", state="malformed", code=code), 400
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return render_template("lms/credentials/verify.html", state="unknown", code=code), 404
    successor = db.session.get(Certificate, certificate.renewed_by_id) if certificate.renewed_by_id else None
    holder = db.session.get(User, certificate.user_id)
    printed = page_context(certificate, current_locale(), issuer_name(holder.site_id if holder else None))
    return render_template("lms/credentials/verify.html", state=certificate.status, code=code, certificate=certificate,
                           printed=printed, renewed_on=successor.issued_at if successor else None)


# -- managers ------------------------------------------------------------------------------

def _require_manager(user):
    if not can_manage_certificates(user):
        abort(403, _("Certificate management is for managers."))


def _status_condition(status, now):
    """SQL for the list's status filter; None: every certificate."""
    current = Certificate.is_current()
    conditions = {
        "valid": current & (Certificate.expires_at.is_(None) | (Certificate.expires_at > now)),
        "expiring": current & expiring_soon(now),
        "expired": current & (Certificate.expires_at <= now),
        "revoked": Certificate.revoked_at.is_not(None),
        "renewed": Certificate.revoked_at.is_(None) & Certificate.renewed_by_id.is_not(None),
        "all": None,
    }
    if status not in conditions:
        abort(400, _("Unknown status."))
    return conditions[status]


def _selection(user, now):
    """(certificate, holder) rows a manager asked for: status, team, dates, achievement;
    only their site's."""
    query = (select(Certificate, User).join(User, User.id == Certificate.user_id)
             .order_by(User.display_name, Certificate.issued_at))
    if managed_site_id(user) is not None:
        query = query.where(User.site_id == managed_site_id(user))
    status = _status_condition(request.args.get("status") or "all", now)
    if status is not None:
        query = query.where(status)
    team_id = request.args.get("team_id")
    if team_id:
        team = db.session.get(Team, parse_id(team_id)) if parse_id(team_id) else None
        if team is None or not can_manage_team(user, team):
            abort(404, _("There is no such team on your site."))
        query = query.where(User.team_id == team.id)
    start, end = day_param("from"), day_param("to", end_of_day=True)
    if start and end and start > end:
        abort(400, _("The start date is after the end date."))
    if start:
        query = query.where(Certificate.issued_at >= start)
    if end:
        query = query.where(Certificate.issued_at <= end)
    subject = request.args.get("subject")
    if subject:
        query = query.where(Certificate.subject_id == subject)
    return db.session.execute(query).all()


#: The status filter's choices, in the order offered.
STATUSES = ("all", "valid", "expiring", "expired", "revoked", "renewed")


@require_user
def manage(user):
    _require_manager(user)
    return _manage_page(user)


def _manage_page(user, error=None, status=200):
    now = utcnow()
    rows = _selection(user, now)
    site_id = managed_site_id(user)
    teams = db.session.scalars(select(Team).where(*([Team.site_id == site_id] if site_id is not None else []))
                               .order_by(Team.name)).all()
    people = db.session.scalars(select(User).where(User.role == "agent", User.active.is_(True), *(
        [User.site_id == site_id] if site_id is not None else [])).order_by(User.display_name)).all()
    states = {c.id: display_status(c, now) for c, _holder in rows}
    deciders = {c.revoked_by for c, _h in rows} | {c.restored_by for c, _h in rows}
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(deciders - {None}))).all())
    printable = sum(1 for c, _h in rows if states[c.id] in PRINTABLE)
    return render_template("lms/credentials/manage.html", rows=rows, states=states, names=names, teams=teams,
                           people=people, subjects=_subjects(), statuses=STATUSES, printable=printable,
                           error=error), status


def _subjects():
    catalog = current_catalog()
    subjects = [(MODULE, m.id, m.title) for m in catalog.ordered_modules() + catalog.ordered_modules(leaders=True)]
    if catalog.path:
        subjects.append((PATH, catalog.path.id, catalog.path.title))
    return subjects


#: Only certificates that are valid today are printed (expiring soon ones still are).
PRINTABLE = ("valid", "expiring")


@require_user
def print_selection(user):
    """The certificates the list shows with the same filter, valid ones only."""
    _require_manager(user)
    now = utcnow()
    rows = [(c, holder) for c, holder in _selection(user, now) if display_status(c, now) in PRINTABLE]
    if not rows:
        abort(404, _("No valid certificate matches this selection."))
    if len(rows) > int(current_app.config["LMS_PRINT_JOB_THRESHOLD"]):
        # Too long for a request: printed in the background, with a progress page.
        job = start_print(user.id, [c.id for c, _holder in rows])
        db.session.commit()
        return redirect(url_for("lms.jobs.show", job_id=job.id), 303)
    return _pdf(rows, "certificates.pdf")


@require_user
def issue(user):
    _require_manager(user)
    agent_id = parse_id(request.form.get("user_id"))
    agent = db.session.get(User, agent_id) if agent_id else None
    if agent is None or not can_manage_certificate_of(user, agent):
        abort(404, _("There is no such person on your site."))
    kind, subject_id = (request.form.get("subject") or ":").split(":", 1)
    known = any((k, s) == (kind, subject_id) for k, s, _title in _subjects())
    if not known or not issuing.may_issue(current_catalog(), agent.id, kind, subject_id):
        abort(400, _("A certificate can only be issued for something the person has completed."))
    certificate = issuing.award(current_catalog(), agent, kind, subject_id, issued_by=user)
    events.commit()
    flash(_("Certificate %(code)s is valid for %(name)s.", code=isolate(certificate.code), name=isolate(agent.display_name)), "info")
    return redirect(url_for("lms.credentials.manage"), 303)


def _refusal(why):
    return {
        "reason": _("Give a reason."),
        "revoked": _("This certificate is already revoked."),
        "renewed": _("This certificate was replaced by its renewal; revoke the renewed one instead."),
        "not_revoked": _("This certificate is not revoked, so there is nothing to restore."),
        "current": _("This person holds another current certificate for the same achievement; revoke that one "
                     "first if this one should count instead."),
    }[why]


def _decide(user, code, action, done_message):
    """Revoke or restore (``action``) with the posted reason; a refusal re-renders the list
    with the reason why, changing nothing."""
    _require_manager(user)
    certificate = _visible_certificate(user, code)
    if not can_manage_certificate_of(user, db.session.get(User, certificate.user_id)):
        abort(404, _("There is no such certificate among the ones you may see."))
    try:
        action(certificate, request.form.get("reason"), user)
    except issuing.CertificateRefused as refused:
        db.session.rollback()
        return _manage_page(user, error=_refusal(refused.why), status=409 if refused.why == "current" else 400)
    flash(done_message, "info")
    return redirect(url_for("lms.credentials.manage", **request.args), 303)


@require_user
def revoke(user, code):
    return _decide(user, code, issuing.revoke, _("Certificate %(code)s is revoked.", code=code))


@require_user
def restore(user, code):
    return _decide(user, code, issuing.restore, _("Certificate %(code)s is restored.", code=code))
