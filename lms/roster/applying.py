"""Applying a plan: new sites and teams, then people inserted and updated in bulk (one statement
each, not an object per row), leavers deactivated, and every change on the audit trail, all in
the caller's transaction."""

from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import delete, insert, select, update

from .. import db
from ..accounts.models import Site, Team, TeamCoach, User
from ..accounts.permissions import managed_site_id
from ..audit import trail
from ..db import utcnow

#: The person's values an audit row shows for someone created.
SHOWN = ("display_name", "employee_id", "email", "username", "role", "locale", "site", "team", "hired_on",
         "coach_of")


class PlanHasErrors(ValueError):
    """The plan has errors and the import was not asked to skip them."""


@dataclass(frozen=True)
class Outcome:
    created: int
    changed: int
    deactivated: int
    unchanged: int
    skipped_rows: int  # rows with errors left out

    def as_dict(self):
        return dict(self.__dict__)


def apply_plan(plan, actor=None, filename="", target=None, only_good_rows=False):
    """Write ``plan`` into the session (the caller commits) and return its :class:`Outcome`;
    a plan that changes nothing writes nothing. ``target`` names the import on the audit trail."""
    if plan.errors and not only_good_rows:
        raise PlanHasErrors(len(plan.error_rows))
    outcome = Outcome(len(plan.creates), len(plan.changes), len(plan.leavers), plan.unchanged,
                      len(plan.error_rows))
    if not plan.writes:
        return outcome
    now = utcnow()
    sites, teams = _places(plan, actor, now)
    new_ids = _insert_people(plan.creates, sites, teams, now)
    _update_people(plan.changes, sites, teams)
    _deactivate(plan.leavers, now)
    coaches = [(person_id, name, c.values["site"]) for person_id, c in zip(new_ids, plan.creates)
               for name in c.values["coach_of"]]
    coaches += [(c.person_id, name, c.values["site"]) for c in plan.changes
                for name in c.after.get("coach_of", ()) if name not in c.before.get("coach_of", ())]
    if coaches:
        db.session.execute(insert(TeamCoach), [{"user_id": p, "team_id": teams[(site, name)]}
                                               for p, name, site in coaches])
    events = _people_events(plan, actor, new_ids, sites, now)
    values_of = {**dict(zip(new_ids, (c.values for c in plan.creates))),
                 **{c.person_id: c.values for c in plan.changes}}
    events += [trail.event_row("person.coach_added", actor, _person(person_id, values_of[person_id], sites),
                               f"team:{teams[(site, name)]}", after={"team": name}, at=now)
               for person_id, name, site in coaches]
    events.append(trail.event_row("people.imported", actor, None, (target or f"import:{filename}")[:200],
                                  after={"file": filename, **outcome.as_dict()},
                                  site_id=managed_site_id(actor) if actor is not None else None, at=now))
    trail.record_many(events)
    return outcome


def _people_events(plan, actor, new_ids, sites, now):
    """An audit row for each person created, changed, reactivated or deactivated."""
    events = [trail.event_row("person.created", actor, _person(person_id, c.values, sites), f"person:{person_id}",
                              after={k: c.values[k] for k in SHOWN if c.values[k]}, at=now)
              for person_id, c in zip(new_ids, plan.creates)]
    for change in plan.changes:
        kind = "person.reactivated" if change.after.get("active") is True else "person.changed"
        events.append(trail.event_row(kind, actor, _person(change.person_id, change.values, sites),
                                      f"person:{change.person_id}", change.before, change.after, at=now))
    for leaver in plan.leavers:
        person = SimpleNamespace(id=leaver.person_id, display_name=leaver.name, site_id=leaver.site_id)
        coaching = ({"coach_of": list(leaver.coach_of)}, {"coach_of": []}) if leaver.coach_of else ({}, {})
        events.append(trail.event_row("person.deactivated", actor, person, f"person:{person.id}",
                                      {"active": True, **coaching[0]}, {"active": False, **coaching[1]},
                                      reason=_leaver_reason(leaver), at=now))
    return events


def _leaver_reason(leaver):
    return "status: left" if leaver.row is not None else "missing from a full roster"


def _person(person_id, values, sites):
    """What an audit row needs of a person, without loading them."""
    return SimpleNamespace(id=person_id, display_name=values["display_name"], site_id=sites.get(values["site"]))


def _places(plan, actor, now):
    """Site and team ids by name, the plan's new ones created (and recorded) first."""
    for name in plan.new_sites:
        site = Site(name=name)
        db.session.add(site)
        db.session.flush()
        trail.record("site.created", actor, target=f"site:{site.id}", after={"name": name}, site_id=site.id, at=now)
    sites = dict(db.session.execute(select(Site.name, Site.id)).all())
    for site_name, team_name in plan.new_teams:
        team = Team(name=team_name, site_id=sites[site_name])
        db.session.add(team)
        db.session.flush()
        trail.record("team.created", actor, target=f"team:{team.id}", after={"name": team_name, "site": site_name},
                     site_id=team.site_id, at=now)
    teams = {(s, t): i for i, s, t in db.session.execute(
        select(Team.id, Site.name, Team.name).join(Site, Team.site_id == Site.id))}
    return sites, teams


def _columns(values, sites, teams):
    site_id = sites.get(values["site"])
    return {"display_name": values["display_name"], "employee_id": values["employee_id"], "email": values["email"],
            "username": values["username"], "role": values["role"], "locale": values["locale"],
            "site_id": site_id, "team_id": teams.get((values["site"], values["team"])),
            "hired_on": values["hired_on"], "active": values["active"]}


def _insert_people(creates, sites, teams, now):
    """New people, with no password: they get one through an admin's password reset."""
    if not creates:
        return []
    rows = [{**_columns(c.values, sites, teams), "password_hash": None, "must_change_password": True,
             "wants_email": True, "created_at": now} for c in creates]
    return list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), rows))


def _update_people(changes, sites, teams):
    if changes:
        db.session.execute(update(User), [
            {"id": c.person_id, **_columns(c.values, sites, teams),
             "deactivated_at": None if c.values["active"] else c.deactivated_at} for c in changes])


def _deactivate(leavers, now):
    """The people pages' deactivation: inactive from now, no longer coaching any team."""
    ids = [leaver.person_id for leaver in leavers]
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        db.session.execute(update(User).where(User.id.in_(chunk)).values(active=False, deactivated_at=now),
                           execution_options={"synchronize_session": False})
        db.session.execute(delete(TeamCoach).where(TeamCoach.user_id.in_(chunk)),
                           execution_options={"synchronize_session": False})

