"""What an import would do, worked out without writing anything: for each row of the file, a
person to create, change, leave alone or deactivate, or an error naming the row and the
column. The employee id is the key, else the e-mail address."""

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from .. import db
from ..accounts.models import ROLES, Site, Team, TeamCoach, User
from ..accounts.permissions import can_edit_person, grantable_roles, managed_site_id
from ..db import fetch_all
from ..i18n import _, localize_digits
from ..values import clean_text
from .rows import parse_row

#: The values of a person an import compares and sets (site and team by name).
FIELDS = ("display_name", "employee_id", "email", "username", "role", "locale", "site", "team", "hired_on",
          "coach_of", "active")
LEADER_ROLES = ("coach", "manager", "admin")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as the file writes it
    message: str


@dataclass(frozen=True)
class Create:
    row: int
    values: dict  # FIELDS, site and team by name


@dataclass(frozen=True)
class Change:
    row: int
    person_id: int
    values: dict  # every FIELD after the change
    before: dict  # only the changed fields
    after: dict
    deactivated_at: object  # kept unless the person is reactivated


@dataclass(frozen=True)
class Leaver:
    row: int | None  # None: missing from a full roster
    person_id: int
    name: str
    employee_id: str | None
    email: str | None
    site_id: int | None
    coach_of: tuple


@dataclass
class Plan:
    creates: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    leavers: list = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0  # leavers the site never knew
    errors: list = field(default_factory=list)
    unknown_columns: tuple = ()
    new_sites: list = field(default_factory=list)
    new_teams: list = field(default_factory=list)  # (site, team)
    full_roster: bool = False

    @property
    def error_rows(self):
        return sorted({e.row for e in self.errors})

    @property
    def writes(self):
        return bool(self.creates or self.changes or self.leavers)


class _People:
    """Everyone as they are now, as plain rows indexed by each key (10,000 people in memory)."""

    def __init__(self):
        columns = (User.id, User.username, User.display_name, User.employee_id, User.email, User.role,
                   User.locale, User.site_id, User.team_id, User.hired_on, User.active, User.deactivated_at)
        self.rows = fetch_all(db.session, select(*columns))
        self.by_id = {p.id: p for p in self.rows}
        self.by_employee_id = {p.employee_id: p for p in self.rows if p.employee_id}
        self.by_email = {p.email: p for p in self.rows if p.email}
        self.usernames = {p.username.lower(): p.id for p in self.rows}
        self.site_names = dict(db.session.execute(select(Site.id, Site.name)).all())
        self.site_ids = {name: i for i, name in self.site_names.items()}
        teams = db.session.execute(select(Team.id, Team.site_id, Team.name)).all()
        self.team_names = {t.id: t.name for t in teams}
        self.team_ids = {(self.site_names[t.site_id], t.name): t.id for t in teams}
        self.coached = {}
        for user_id, team_id in db.session.execute(select(TeamCoach.user_id, TeamCoach.team_id)):
            self.coached.setdefault(user_id, []).append(self.team_names[team_id])

    def values(self, p):
        return {"display_name": p.display_name, "employee_id": p.employee_id, "email": p.email,
                "username": p.username, "role": p.role, "locale": p.locale,
                "site": self.site_names.get(p.site_id), "team": self.team_names.get(p.team_id),
                "hired_on": p.hired_on, "coach_of": sorted(self.coached.get(p.id, ())), "active": p.active}


def plan_import(sheet, actor=None, full_roster=False, default_site=None):
    """The :class:`Plan` for ``sheet`` (reading.Sheet) by ``actor`` (None: the system, as the
    command line). Rows with no site go to ``default_site`` (a manager's own site always)."""
    people = _People()
    scope = _Scope(actor, people, default_site)
    plan = Plan(unknown_columns=sheet.unknown, full_roster=full_roster)
    parsed = [parse_row(number, cells, sheet.columns) for number, cells in sheet.rows]
    _mark_duplicates(parsed, sheet.columns)
    for row in parsed:
        row.person = _match(row, people, sheet.columns)
    _mark_same_person(parsed)
    taken = dict(people.usernames)
    for row in parsed:
        if not row.errors:
            _plan_row(row, people, scope, plan, taken)
        plan.errors.extend(RowError(row.number, column, message) for column, message in row.errors)
    if full_roster:
        _plan_missing(parsed, people, scope, actor, plan)
    placed = [item.values for item in (*plan.creates, *plan.changes)]
    plan.new_sites = sorted({v["site"] for v in placed} - set(people.site_ids) - {None})
    plan.new_teams = sorted({(v["site"], team) for v in placed for team in [v["team"], *v["coach_of"]] if team}
                            - set(people.team_ids))
    plan.errors.sort(key=lambda e: e.row)
    return plan


class _Scope:
    """Which sites and roles ``actor`` may give; a manager imports into their own site only."""

    def __init__(self, actor, people, default_site):
        self.actor = actor
        own = managed_site_id(actor) if actor is not None else None
        self.own_site = people.site_names.get(own) if own is not None else None
        self.default_site = self.own_site or (clean_text(default_site) or None)
        self.roles = grantable_roles(actor) if actor is not None else ROLES

    def may_edit(self, person):
        return self.actor is None or can_edit_person(self.actor, person)


def _mark_duplicates(parsed, columns):
    """Two rows with one key: neither can be right, so both are errors."""
    for key in ("employee_id", "email"):
        rows_by_value = {}
        for row in parsed:
            if row.cells.get(key):
                rows_by_value.setdefault(row.cells[key], []).append(row)
        for rows in rows_by_value.values():
            if len(rows) > 1:
                for row in rows:
                    others = ", ".join(str(r.number) for r in rows if r is not row)
                    row.error(columns[key], _("The same value is on row %(rows)s too.", rows=localize_digits(others)))


def _match(row, people, columns):
    """The person a row is about (by employee id, else by e-mail), or None for someone new."""
    employee_id, email = row.cells.get("employee_id"), row.cells.get("email")
    by_id = people.by_employee_id.get(employee_id) if employee_id else None
    by_email = people.by_email.get(email) if email else None
    if employee_id and by_email is not None and by_email is not by_id and (by_id or by_email.employee_id):
        row.error(columns["email"], _("Another person (employee id %(id)s) already has the e-mail “%(email)s”.",
                                      id=by_email.employee_id or "–", email=email))
    return by_id or by_email


def _mark_same_person(parsed):
    rows_by_person = {}
    for row in parsed:
        if row.person is not None:
            rows_by_person.setdefault(row.person.id, []).append(row)
    for rows in rows_by_person.values():
        if len(rows) > 1:
            for row in rows:
                others = ", ".join(str(r.number) for r in rows if r is not row)
                row.error(row.key_column, _("This is the same person as on row %(rows)s.", rows=localize_digits(others)))


def _plan_row(row, people, scope, plan, taken):
    person, cells = row.person, row.cells
    if person is not None and not scope.may_edit(person):
        row.error(row.key_column, _("You may not change this person: they belong to another site or are an admin."))
        return
    if person is not None and scope.actor is not None and person.id == scope.actor.id and (
            cells.get("active") is False or cells.get("role") not in (None, person.role)):
        row.error(row.key_column, _("This row is you: change your own role or deactivate yourself elsewhere."))
        return
    if cells.get("active") is False:
        if person is None:
            plan.skipped += 1
        elif person.active:
            plan.leavers.append(Leaver(row.number, person.id, person.display_name, person.employee_id,
                                       person.email, person.site_id, tuple(people.coached.get(person.id, ()))))
        else:
            plan.unchanged += 1
        return
    before = people.values(person) if person is not None else None
    after = _after(row, before, scope, taken)
    if row.errors:
        return
    if person is None:
        plan.creates.append(Create(row.number, after))
        return
    changed_before = {k: before[k] for k in FIELDS if before[k] != after[k]}
    if not changed_before:
        plan.unchanged += 1
        return
    changed_after = {k: after[k] for k in changed_before}
    plan.changes.append(Change(row.number, person.id, after, changed_before, changed_after, person.deactivated_at))


def _after(row, before, scope, taken):
    """The person's values once the row is applied; an empty cell keeps what is there."""
    cells, columns = row.cells, row.columns
    values = dict(before) if before else {"role": "agent", "locale": "en", "site": None, "team": None,
                                          "hired_on": None, "coach_of": [], "active": True, "email": None,
                                          "employee_id": None}
    for key in ("display_name", "employee_id", "email", "locale", "hired_on"):
        if cells.get(key) is not None:
            values[key] = cells[key]
    if cells.get("active") is True:
        values["active"] = True
    role = cells.get("role")
    if role is not None and role != values["role"]:
        if role not in scope.roles:
            row.error(columns["role"], _("You may not give the role %(role)s.", role=role))
        values["role"] = role
    _place(row, values, scope)
    _username(row, values, before, taken)
    values["coach_of"] = sorted(set(values["coach_of"]) | set(cells.get("coach_of") or ()))  # never removes one
    if cells.get("coach_of") and values["role"] not in LEADER_ROLES:
        row.error(columns["coach_of"], _("Only a coach, manager or admin coaches a team; set the role too."))
    return values


def _place(row, values, scope):
    cells, columns = row.cells, row.columns
    site = cells.get("site") or (scope.default_site if values["site"] is None or scope.own_site else None)
    if site and site != values["site"]:
        if values["site"] is not None and not cells.get("team"):
            values["team"] = None  # a team belongs to one site: moving someone takes them off it
        values["site"] = site
    if scope.own_site and values["site"] != scope.own_site:
        row.error(columns.get("site", row.key_column),
                  _("You may import people into your own site only (%(site)s).", site=scope.own_site))
    if cells.get("team"):
        values["team"] = cells["team"]
    needs_site = cells.get("team") or cells.get("coach_of")
    if needs_site and not values["site"]:
        row.error(columns.get("team") or columns["coach_of"], _("A team needs a site: fill in the site."))


def _username(row, values, before, taken):
    """The file's username, or one made from the e-mail or employee id, unique either way.
    ``taken``: every username in use or planned (lower-case) -> its holder."""
    holder = row.person.id if row.person is not None else ("row", row.number)
    wanted = row.cells.get("username")
    if wanted:
        if taken.setdefault(wanted.lower(), holder) != holder:
            row.error(row.columns["username"], _("The username “%(name)s” is taken.", name=wanted))
        values["username"] = wanted
    elif before is None:
        base = _username_base(values)
        name, n = base, 1
        while name.lower() in taken:
            n += 1
            name = f"{base[:74]}-{n}"
        taken[name.lower()] = holder
        values["username"] = name


def _username_base(values):
    local = re.sub(r"[^A-Za-z0-9._-]", "", (values["email"] or "").split("@")[0])
    if len(local) >= 2:
        return local[:80]
    employee = re.sub(r"[^A-Za-z0-9._-]", "", values["employee_id"] or "")
    return f"emp-{employee}"[:80] if employee else "person"


def _plan_missing(parsed, people, scope, actor, plan):
    """A full roster: active people of its sites who are not in it are leavers. Anyone a row
    names, even a row with errors, is in it; the importer themself never leaves this way."""
    seen = {row.person.id for row in parsed if row.person is not None}
    raw = {value for row in parsed for value in row.raw_keys}
    names = {row.cells.get("site") for row in parsed} | {scope.default_site}
    sites = {people.site_ids.get(name) for name in names} | {row.person.site_id for row in parsed if row.person}
    sites.discard(None)
    for p in people.rows:
        if (p.active and p.site_id in sites and p.id not in seen and (actor is None or p.id != actor.id)
                and p.employee_id not in raw and (p.email or "") not in raw and scope.may_edit(p)):
            plan.leavers.append(Leaver(None, p.id, p.display_name, p.employee_id, p.email, p.site_id,
                                       tuple(people.coached.get(p.id, ()))))

