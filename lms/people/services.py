"""Changing people as plain functions, shared by the admin pages, the account page and the
command line (teams and sites: organisation.py; passwords: passwords.py). Each change records
its audit event in the caller's transaction; the caller commits. ``by`` is the person acting,
or None for the system (the command line)."""

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import joinedload

from .. import db
from ..accounts.models import Site, Team, TeamCoach, User
from ..accounts.permissions import (
    can_administer_people,
    can_edit_person,
    grantable_roles,
    managed_site_id,
)
from ..audit import trail
from ..db import contains, utcnow
from ..i18n import _
from ..values import Invalid, parse_day
from . import fields
from .errors import refuse_unless
from .organisation import COACHING_ROLES, add_coach, check_coach, remove_coach

#: The fields a person's record is edited through, in the order forms show them.
PERSON_FIELDS = ("display_name", "username", "email", "employee_id", "role", "site_id", "team_id", "hired_on",
                 "locale", "wants_email")


def snapshot(person):
    """The audited fields of ``person`` as plain values."""
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def coached_teams(person):
    return list(db.session.scalars(select(Team).join(TeamCoach).where(TeamCoach.user_id == person.id)
                                   .order_by(Team.name)))


# -- people -------------------------------------------------------------------------------------

def clean_person(values, by, person=None):
    """Check raw values (from a form or the command line) against the field rules and ``by``'s
    rights; the clean values, or :class:`Invalid` naming every bad field."""
    errors, clean = {}, {}
    parsers = {"display_name": fields.parse_name, "username": fields.parse_username,
               "email": fields.parse_email, "employee_id": fields.parse_employee_id,
               "role": fields.parse_role, "hired_on": parse_day, "locale": fields.parse_language}
    for name, parse in parsers.items():
        try:
            clean[name] = parse(values.get(name))
        except fields.FieldError as error:
            errors[name] = str(error)
    clean["wants_email"] = bool(values.get("wants_email", True))
    clean["site_id"] = values.get("site_id") or None
    clean["team_id"] = values.get("team_id") or None
    if by is not None:
        site = managed_site_id(by)
        if site is not None:
            clean["site_id"] = site  # a manager's people belong to their site
        role = clean.get("role")
        if role and role not in grantable_roles(by) and (person is None or role != person.role):
            errors["role"] = _("You cannot give the role %(role)s.", role=role)
        if person is not None and person.id == by.id and person.role == "admin" and role and role != "admin":
            errors["role"] = _("You cannot remove your own admin role.")
    _check_place(clean, errors)
    _check_unique(clean, errors, person)
    if errors:
        raise Invalid(errors)
    return clean


def _check_place(clean, errors):
    if clean["site_id"] is not None and db.session.get(Site, clean["site_id"]) is None:
        errors["site_id"] = _("There is no such site.")
    if clean["team_id"] is not None:
        team = db.session.get(Team, clean["team_id"])
        if team is None or team.site_id != clean["site_id"]:
            errors["team_id"] = _("The team must belong to the person's site.")


def _check_unique(clean, errors, person):
    checks = (("username", func.lower(User.username), (clean.get("username") or "").lower(),
               _("This username is taken.")),
              ("email", User.email, clean.get("email"), _("Someone else has this e-mail address.")),
              ("employee_id", User.employee_id, clean.get("employee_id"), _("Someone else has this employee id.")))
    for name, column, value, message in checks:
        if not value or name in errors:
            continue
        query = select(User.id).where(column == value)
        if person is not None:
            query = query.where(User.id != person.id)
        if db.session.scalar(query.limit(1)) is not None:
            errors[name] = message


def create_person(by, values, coach_of=()):
    """A new person from raw ``values``; they sign in after a password reset gives them a
    temporary password (or with ``values["password"]`` from the command line)."""
    if by is not None:
        refuse_unless(can_administer_people(by), _("Only managers and admins add people."))
    clean = clean_person(values, by)
    person = User(**clean)
    if values.get("password"):
        person.set_password(values["password"])
    db.session.add(person)
    db.session.flush()
    trail.record("person.created", actor=by, person=person, target=f"person:{person.id}",
                 after={**clean, "active": True})
    set_coached_teams(person, by, coach_of)
    return person


def update_person(person, by, values, coach_of=None, reason=None):
    """Apply raw ``values``; records person.changed with only the fields that changed.
    ``coach_of``: the ids of the teams they coach (None: leave as they are)."""
    if by is not None:
        refuse_unless(can_edit_person(by, person), _("You cannot change this person."))
    clean = clean_person(values, by, person)
    before = snapshot(person)
    for name, value in clean.items():
        setattr(person, name, value)
    old, new = trail.changes(before, clean)
    if old is not None:
        trail.record("person.changed", actor=by, person=person, target=f"person:{person.id}", before=old, after=new,
                     reason=reason)
    if coach_of and person.role not in COACHING_ROLES:
        raise Invalid({"coach_of": _("Only active coaches, managers and admins can coach a team.")})
    if coach_of is None:  # keep their teams, but only those a coach of their role and site may have
        coach_of = [t.id for t in coached_teams(person) if person.role == "admin" or t.site_id == person.site_id]
    set_coached_teams(person, by, coach_of if person.role in COACHING_ROLES else ())
    return person


def set_coached_teams(person, by, team_ids):
    """Make ``person`` the coach of exactly ``team_ids``, one audit event per change."""
    wanted = set(team_ids)
    current = {t.id for t in coached_teams(person)}
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(wanted)))}
    for team_id in sorted(current - wanted):
        remove_coach(db.session.get(Team, team_id), person, by)
    if wanted - set(teams):
        raise Invalid({"coach_of": _("There is no such team.")})
    for team_id in sorted(wanted):
        check_coach(teams[team_id], person)  # the ones kept too: their site may have changed
    for team_id in sorted(wanted - current):
        add_coach(teams[team_id], person, by)


def deactivate(person, by, reason):
    """A leaver: sign-in refused, off every team they coached, their history kept."""
    reason = fields.clean_text(reason)
    if by is not None:
        refuse_unless(can_edit_person(by, person), _("You cannot change this person."))
        refuse_unless(person.id != by.id, _("You cannot deactivate yourself."))
    if not reason:
        raise Invalid({"reason": _("Give a reason.")})
    if not person.active:
        return person
    teams = sorted(t.id for t in coached_teams(person))
    db.session.execute(delete(TeamCoach).where(TeamCoach.user_id == person.id))
    person.active = False
    person.deactivated_at = utcnow()
    trail.record("person.deactivated", actor=by, person=person, target=f"person:{person.id}",
                 before={"active": True, "coach_of": teams}, after={"active": False, "coach_of": []}, reason=reason)
    return person


def reactivate(person, by, reason):
    reason = fields.clean_text(reason)
    if by is not None:
        refuse_unless(can_edit_person(by, person), _("You cannot change this person."))
    if not reason:
        raise Invalid({"reason": _("Give a reason.")})
    if person.active:
        return person
    person.active = True
    person.deactivated_at = None
    trail.record("person.reactivated", actor=by, person=person, target=f"person:{person.id}",
                 before={"active": False}, after={"active": True}, reason=reason)
    return person


def update_account(person, email, wants_email, locale):
    """What each person sets for themself on the account page."""
    errors, clean = {}, {"wants_email": bool(wants_email)}
    for name, parse, value in (("email", fields.parse_email, email), ("locale", fields.parse_language, locale)):
        try:
            clean[name] = parse(value)
        except fields.FieldError as error:
            errors[name] = str(error)
    _check_unique(clean, errors, person)
    if errors:
        raise Invalid(errors)
    before = {name: getattr(person, name) for name in clean}
    old, new = trail.changes(before, clean)
    if old is not None:
        for name, value in clean.items():
            setattr(person, name, value)
        trail.record("person.changed", actor=person, person=person, target=f"person:{person.id}", before=old,
                     after=new)


# -- finding people -----------------------------------------------------------------------------

def find_person(key):
    """The person whose username, e-mail or employee id is ``key`` (command line), or None."""
    key = fields.clean_text(key)
    return db.session.scalar(select(User).where(
        (func.lower(User.username) == key.lower()) | (User.email == key.lower()) | (User.employee_id == key)))


PAGE_SIZE = 50
STATUSES = ("active", "deactivated", "all")


def search_people(viewer, text="", role="", team_id=None, site_id=None, status="active", page=1):
    """One page of the people ``viewer`` administers, by name, and how many match in all: two
    statements, LIMIT/OFFSET on the display_name index, whatever the number of people."""
    query = select(User)
    site = managed_site_id(viewer)
    if site is not None:
        query = query.where(User.site_id == site)
    elif site_id:
        query = query.where(User.site_id == site_id)
    if text:
        query = query.where(or_(*(contains(column, text) for column in (
            User.display_name, User.username, User.email, User.employee_id))))
    if role:
        query = query.where(User.role == role)
    if team_id:
        query = query.where(User.team_id == team_id)
    if status != "all":
        query = query.where(User.active.is_(status == "active"))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.options(joinedload(User.team), joinedload(User.site))
                              .order_by(User.display_name, User.id)
                              .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return rows, total
