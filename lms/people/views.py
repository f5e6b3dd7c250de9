"""The administration pages: people, teams and sites. An admin runs every site, a manager
their own; the rules and their audit events are in services.py."""

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from sqlalchemy import func, select

from .. import db
from ..accounts.identity import require_user
from ..accounts.models import ROLES, Site, Team, User
from ..accounts.permissions import (
    can_administer_people,
    can_edit_person,
    can_manage_sites,
    can_manage_team,
    can_view_learner,
    grantable_roles,
    managed_site_id,
)
from ..audit.models import AuditEvent
from ..i18n import _, isolate
from ..params import id_arg, whole_number_arg
from . import organisation, passwords, services
from .exports import passwords_csv
from ..values import Invalid
from .errors import Refused
from .forms import CoachForm, NameForm, PersonForm, ReasonForm, TeamForm


def _require_admin(user):
    if not can_administer_people(user):
        abort(403, _("Administration is for managers and admins."))


def _get(model, object_id):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404, _("Not found"))
    return found


def _visible(user, model, object_id, may_see):
    """The row, or the same 404 whether it is missing or beyond ``user``'s reach (another
    site's): a 403 would tell which ids exist, and a page of theirs who they are."""
    found = db.session.get(model, object_id)
    if found is None or not may_see(user, found):
        abort(404, _("Not found"))
    return found


def _apply(form, change):
    """Run ``change``; commit it, or roll back and put its errors on ``form``. True on success."""
    try:
        change()
    except Invalid as error:
        db.session.rollback()
        error.show_on(form)
        return False
    except Refused as error:
        db.session.rollback()
        abort(403, str(error))
    db.session.commit()
    return True


def _sites(user):
    site = managed_site_id(user)
    query = select(Site).order_by(Site.name)
    return list(db.session.scalars(query if site is None else query.where(Site.id == site)))


def _teams(user):
    site = managed_site_id(user)
    query = select(Team).join(Site).order_by(Site.name, Team.name)
    return list(db.session.scalars(query if site is None else query.where(Team.site_id == site)))


@require_user
def home(user):
    _require_admin(user)
    return render_template("lms/people/home.html",
                           roster_import="lms.roster.upload" in current_app.view_functions)


# -- people -------------------------------------------------------------------------------------

@require_user
def people(user):
    _require_admin(user)
    status = request.args.get("status", "active")
    role = request.args.get("role", "")
    if status not in services.STATUSES or (role and role not in ROLES):
        abort(400, _("There is no such choice."))
    page = whole_number_arg("page", 1, low=1, high=100_000)
    rows, total = services.search_people(
        user, text=request.args.get("q", "").strip()[:120], role=role, team_id=id_arg("team"),
        site_id=id_arg("site") if can_manage_sites(user) else None, status=status, page=page)
    pages = max(1, -(-total // services.PAGE_SIZE))
    return render_template("lms/people/list.html", people=rows, total=total, page=page, pages=pages,
                           teams=_teams(user), sites=_sites(user), roles=ROLES, role_name=_role_name,
                           without_password=passwords.count_without_password(user),
                           at_once=passwords.FIRST_PASSWORDS_AT_ONCE)


def _person_form(user, person=None, submitted=False):
    """The person form, filled from the request when ``submitted``, else from ``person``."""
    form = PersonForm() if submitted else PersonForm(formdata=None, obj=person)
    form.role.choices = [(r, _role_name(r)) for r in grantable_roles(user)]
    form.site_id.choices = [("", _("No site"))] * (managed_site_id(user) is None) + [
        (s.id, s.name) for s in _sites(user)]
    teams = [(t.id, f"{t.name} · {t.site.name}") for t in _teams(user)]
    form.team_id.choices = [("", _("No team"))] + teams
    form.coach_of.choices = teams
    if not submitted and person is not None:
        form.coach_of.data = [t.id for t in services.coached_teams(person)]
    if not submitted and person is None and managed_site_id(user) is not None:
        form.site_id.data = managed_site_id(user)
    return form


def _role_name(role):
    return {"agent": _("Agent"), "coach": _("Coach"), "manager": _("Manager"), "admin": _("Admin")}[role]


def _values(form):
    return {name: form[name].data for name in services.PERSON_FIELDS}


@require_user
def new_person(user):
    _require_admin(user)
    form = _person_form(user, submitted=request.method == "POST")
    if request.method == "POST" and form.validate():
        created = {}

        def change():
            created["person"] = services.create_person(user, _values(form), form.coach_of.data or ())

        if _apply(form, change):
            flash(_("%(name)s is added. Reset their password to give them a first one.",
                    name=isolate(created["person"].display_name)), "info")
            return redirect(url_for("lms.people.person", person_id=created["person"].id))
    status = 400 if request.method == "POST" else 200
    return render_template("lms/people/person.html", form=form, person=None), status


def _editable(user, person_id):
    _require_admin(user)
    person = _visible(user, User, person_id, can_view_learner)
    if not can_edit_person(user, person):  # someone of their own site they may not change (an admin)
        abort(403, _("You can only change the people of your own site."))
    return person


def _person_page(user, person, form=None, reason_form=None, password=None, status=200):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.person_id == person.id)
                                .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(20)).all()
    response = make_response(render_template(
        "lms/people/person.html", form=form or _person_form(user, person), person=person,
        reason_form=reason_form or ReasonForm(formdata=None), password=password, events=events,
        is_self=person.id == user.id), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@require_user
def person(user, person_id):
    person = _editable(user, person_id)
    form = _person_form(user, person, submitted=request.method == "POST")
    if request.method == "POST":
        if form.validate() and _apply(form, lambda: services.update_person(
                person, user, _values(form), form.coach_of.data or [])):
            flash(_("Saved."), "info")
            return redirect(url_for("lms.people.person", person_id=person.id))
        db.session.refresh(person)
        return _person_page(user, person, form=form, status=400)
    return _person_page(user, person, form=form)


def _set_active(user, person_id, change, done):
    person = _editable(user, person_id)
    form = ReasonForm()
    if form.validate() and _apply(form, lambda: change(person, user, form.reason.data)):
        flash(done, "info")
        return redirect(url_for("lms.people.person", person_id=person.id))
    return _person_page(user, person, reason_form=form, status=400)


@require_user
def deactivate(user, person_id):
    return _set_active(user, person_id, services.deactivate, _("Deactivated: they can no longer sign in."))


@require_user
def reactivate(user, person_id):
    return _set_active(user, person_id, services.reactivate, _("Reactivated: they can sign in again."))


@require_user
def reset_password(user, person_id):
    """The temporary password is in this one response only: no redirect, no flash, no cache."""
    person = _editable(user, person_id)
    try:
        password = passwords.reset_password(person, user)
    except Refused as error:
        abort(403, str(error))
    db.session.commit()
    return _person_page(user, person, password=password)


@require_user
def first_passwords(user):
    """Temporary passwords for the people who have none yet (an import's new people), as a
    CSV in this one response: each chooses their own when they first sign in."""
    _require_admin(user)
    pairs = passwords.first_passwords(user)
    if not pairs:
        flash(_("Everyone here has a password already."), "info")
        return redirect(url_for("lms.people.list"), 303)
    db.session.commit()
    response = make_response(passwords_csv(pairs))
    response.headers.update({"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
                             "Content-Disposition": 'attachment; filename="first-passwords.csv"'})
    return response


# -- teams --------------------------------------------------------------------------------------

def _team_form(user):
    form = TeamForm()
    form.site_id.choices = [(s.id, s.name) for s in _sites(user)]
    return form


@require_user
def teams(user):
    _require_admin(user)
    form = _team_form(user)
    if request.method == "POST" and form.validate() and _apply(
            form, lambda: organisation.create_team(user, form.name.data, form.site_id.data)):
        flash(_("Team added."), "info")
        return redirect(url_for("lms.people.teams"))
    shown = _teams(user)
    agents = dict(db.session.execute(
        select(User.team_id, func.count()).where(User.team_id.in_([t.id for t in shown]), User.role == "agent",
                                                 User.active.is_(True)).group_by(User.team_id)).all())
    return render_template("lms/people/teams.html", teams=shown, agents=agents, form=form), \
        400 if request.method == "POST" else 200


def _managed_team(user, team_id):
    _require_admin(user)
    return _visible(user, Team, team_id, can_manage_team)


def _coach_form(team):
    form = CoachForm(formdata=request.form if "coach_id" in request.form else None)
    leaders = select(User).where(User.role.in_(organisation.COACHING_ROLES), User.active.is_(True),
                                 (User.site_id == team.site_id) | (User.role == "admin"))
    form.coach_id.choices = [("", _("Choose…"))] + [
        (p.id, p.display_name) for p in db.session.scalars(leaders.order_by(User.display_name))
        if p not in team.coaches]
    return form


def _team_page(team, form=None, coach_form=None, status=200):
    return render_template("lms/people/team.html", team=team, form=form or NameForm(obj=team),
                           coach_form=coach_form or _coach_form(team),
                           agents=[a for a in team.agents if a.active]), status


@require_user
def team(user, team_id):
    team = _managed_team(user, team_id)
    form = NameForm(obj=team)
    if request.method == "POST":
        if form.validate() and _apply(form, lambda: organisation.rename_team(team, user, form.name.data)):
            flash(_("Saved."), "info")
            return redirect(url_for("lms.people.team", team_id=team.id))
        return _team_page(team, form=form, status=400)
    return _team_page(team, form=form)


@require_user
def add_coach(user, team_id):
    team = _managed_team(user, team_id)
    form = _coach_form(team)
    if form.validate():
        coach = _get(User, form.coach_id.data)
        if _apply(form, lambda: organisation.add_coach(team, coach, user)):
            flash(_("%(name)s now coaches this team.", name=isolate(coach.display_name)), "info")
            return redirect(url_for("lms.people.team", team_id=team.id))
    form.coach_id.errors = list(form.coach_id.errors) + form.form_errors
    return _team_page(team, coach_form=form, status=400)


@require_user
def remove_coach(user, team_id, person_id):
    team = _managed_team(user, team_id)
    coach = db.session.get(User, person_id)
    if coach is None or coach not in team.coaches:  # else any id would answer with its name
        abort(404, _("Not found"))
    try:
        organisation.remove_coach(team, coach, user)
    except Refused as error:
        abort(403, str(error))
    db.session.commit()
    flash(_("%(name)s no longer coaches this team.", name=isolate(coach.display_name)), "info")
    return redirect(url_for("lms.people.team", team_id=team.id))


# -- sites --------------------------------------------------------------------------------------

def _require_sites(user):
    if not can_manage_sites(user):
        abort(403, _("Sites are added and renamed by admins."))


@require_user
def sites(user):
    _require_sites(user)
    form = NameForm()
    if request.method == "POST" and form.validate() and _apply(
            form, lambda: organisation.create_site(user, form.name.data)):
        flash(_("Site added."), "info")
        return redirect(url_for("lms.people.sites"))
    counts = dict(db.session.execute(select(User.site_id, func.count()).where(User.active.is_(True))
                                     .group_by(User.site_id)).all())
    return render_template("lms/people/sites.html", sites=_sites(user), counts=counts, form=form), \
        400 if request.method == "POST" else 200


@require_user
def site(user, site_id):
    _require_sites(user)
    site = _get(Site, site_id)
    form = NameForm(obj=site)
    if request.method == "POST":
        if form.validate() and _apply(form, lambda: organisation.rename_site(site, user, form.name.data)):
            flash(_("Saved."), "info")
            return redirect(url_for("lms.people.sites"))
        return render_template("lms/people/site.html", site=site, form=form), 400
    return render_template("lms/people/site.html", site=site, form=form)
