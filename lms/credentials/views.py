"""Certificate pages: an agent's own, a manager's list with bulk printing, issuing and
revoking, the public verification page, and the Open Badges 3.0 export."""

import re

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from .. import db
from ..accounts.identity import require_user
from ..accounts.models import Site, Team, User
from ..accounts.permissions import (
    can_manage_certificate_of,
    can_manage_certificates,
    can_manage_team,
    can_view_learner,
    managed_site_id,
)
from ..content import current_catalog
from ..i18n import _, current_locale
from ..params import day_param
from . import issuing
from .badges import open_badge
from .models import MODULE, PATH, Certificate
from .render import certificates_pdf

CODE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


def _issuer(site_id):
    site = db.session.get(Site, site_id) if site_id else None
    return site.name if site else _("CX Academy")


def _pdf(certificates, filename):
    lang = request.args.get("lang") or current_locale()
    if lang not in current_app.config["LMS_LANGUAGES"]:
        abort(400, _("Unknown language."))
    # The issuer is the holder's site; a manager's selection is one site (an admin printing
    # across sites gets the first holder's site on every page).
    pdf = certificates_pdf(certificates, lang, _issuer(db.session.get(User, certificates[0].user_id).site_id))
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


def _visible_certificate(user, code):
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code)) if CODE.match(code) else None
    if certificate is None or not can_view_learner(user, db.session.get(User, certificate.user_id)):
        abort(404, _("There is no such certificate among the ones you may see."))
    return certificate


@require_user
def mine(user):
    certificates = db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                      .order_by(Certificate.issued_at.desc())).all()
    return render_template("lms/credentials/mine.html", certificates=certificates)


@require_user
def download(user, code):
    certificate = _visible_certificate(user, code)
    return _pdf([certificate], f"certificate-{certificate.code}.pdf")


@require_user
def badge(user, code):
    certificate = _visible_certificate(user, code)
    return jsonify(open_badge(certificate, _issuer(db.session.get(User, certificate.user_id).site_id)))


def verify(code=None):
    """Public: valid, revoked or unknown — and nothing else about the person."""
    code = (code or request.args.get("code") or "").strip()
    if not code:
        return render_template("lms/credentials/verify.html", state=None, code="")
    if not CODE.match(code):
        return render_template("lms/credentials/verify.html", state="malformed", code=code), 400
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        return render_template("lms/credentials/verify.html", state="unknown", code=code), 404
    return render_template("lms/credentials/verify.html", state=certificate.status, code=code, certificate=certificate)


# -- managers ------------------------------------------------------------------------------

def _require_manager(user):
    if not can_manage_certificates(user):
        abort(403, _("Certificate management is for managers."))


def _selection(user):
    """The certificates a manager asked for: team, dates, achievement; only their site's."""
    query = select(Certificate).join(User, User.id == Certificate.user_id).order_by(User.display_name,
                                                                                     Certificate.issued_at)
    if managed_site_id(user) is not None:
        query = query.where(User.site_id == managed_site_id(user))
    team_id = request.args.get("team_id")
    if team_id:
        team = db.session.get(Team, int(team_id)) if team_id.isdigit() else None
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
    if request.args.get("include_revoked") != "1":
        query = query.where(Certificate.revoked_at.is_(None))
    return db.session.scalars(query).all()


@require_user
def manage(user):
    _require_manager(user)
    certificates = _selection(user)
    site_id = managed_site_id(user)
    teams = db.session.scalars(select(Team).where(*([Team.site_id == site_id] if site_id is not None else []))
                               .order_by(Team.name)).all()
    people = db.session.scalars(select(User).where(User.role == "agent", *(
        [User.site_id == site_id] if site_id is not None else [])).order_by(User.display_name)).all()
    names = {u.id: u.display_name for u in people}
    return render_template("lms/credentials/manage.html", certificates=certificates, teams=teams, people=people,
                           names=names, subjects=_subjects())


def _subjects():
    catalog = current_catalog()
    subjects = [(MODULE, m.id, m.title) for m in catalog.ordered_modules() + catalog.ordered_modules(leaders=True)]
    if catalog.path:
        subjects.append((PATH, catalog.path.id, catalog.path.title))
    return subjects


@require_user
def print_selection(user):
    _require_manager(user)
    certificates = _selection(user)
    if not certificates:
        abort(404, _("No certificate matches this selection."))
    return _pdf(certificates, "certificates.pdf")


@require_user
def issue(user):
    _require_manager(user)
    agent = db.session.get(User, int(request.form["user_id"])) if request.form.get("user_id", "").isdigit() else None
    if agent is None or not can_manage_certificate_of(user, agent):
        abort(404, _("There is no such person on your site."))
    kind, subject_id = (request.form.get("subject") or ":").split(":", 1)
    title = next((t for k, s, t in _subjects() if (k, s) == (kind, subject_id)), None)
    if title is None or not issuing.may_issue(current_catalog(), agent.id, kind, subject_id):
        abort(400, _("A certificate can only be issued for something the person has completed."))
    certificate = issuing.issue(agent, kind, subject_id, title, issued_by=user)
    flash(_("Certificate %(code)s is valid for %(name)s.", code=certificate.code, name=agent.display_name), "info")
    return redirect(url_for("lms.credentials.manage"), 303)


@require_user
def revoke(user, code):
    _require_manager(user)
    certificate = _visible_certificate(user, code)
    try:
        issuing.revoke(certificate, request.form.get("reason"), user)
    except issuing.CertificateRefused as refused:
        message = (_("Give a reason for revoking.") if "reason" in str(refused)
                   else _("This certificate is already revoked."))
        abort(400, message)
    flash(_("Certificate %(code)s is revoked.", code=code), "info")
    return redirect(url_for("lms.credentials.manage"), 303)
