"""Assignments: what can be assigned, assigning it to agents with a due date, and marking
it done when the agent does it. A refused assignment writes nothing."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import db
from ..audit import trail
from ..accounts.models import User
from ..accounts.permissions import can_coach
from ..catalog import LEADERSHIP
from ..db import utcnow
from ..i18n import _, format_day, isolate
from .models import Assignment
from .naming import content_of
from .notifications import notify


@dataclass(frozen=True)
class Target:
    """A piece of content that can be assigned: a module, a quiz or refresher, a role-play."""

    kind: str
    id: str
    topic: str
    title: dict
    group: str  # module | quiz | refresher | roleplay, for the form's option groups

    @property
    def key(self):
        return f"{self.kind}:{self.id}"

    @property
    def link(self):
        """(endpoint, arguments) of the page where the agent does it."""
        return {"module": ("lms.learning.module", {"module_id": self.id}),
                "quiz": ("lms.learning.quiz", {"quiz_id": self.id}),
                "roleplay": ("lms.roleplays.intro", {"roleplay_id": self.id})}[self.kind]


def targets(catalog):
    """Everything assignable, modules in path order, then quizzes, refreshers, role-plays."""
    found = [Target("module", m.id, m.topic, m.title, "module") for m in catalog.ordered_modules()]
    quizzes = sorted((q for q in catalog.quizzes.values() if q.topic != LEADERSHIP),  # not agents' work
                     key=lambda q: (q.kind, q.topic, q.id))
    found += [Target("quiz", q.id, q.topic, q.title, q.kind) for q in quizzes]
    found += [Target("roleplay", r.id, r.topic, r.title, "roleplay")
              for r in sorted(catalog.roleplays.values(), key=lambda r: (r.topic, r.id))]
    return found


def find_target(catalog, key):
    """The Target of "module:<id>", "quiz:<id>" or "roleplay:<id>", or None."""
    kind, _sep, ident = (key or "").partition(":")
    found = content_of(catalog, kind, ident) if kind in ("module", "quiz", "roleplay") else None
    if found is None:
        return None
    group = found.kind if kind == "quiz" else kind
    return Target(kind, found.id, found.topic, found.title, group)


def target_of(catalog, assignment):
    """The assignment's content, or None if it has left the catalogue since."""
    return find_target(catalog, f"{assignment.kind}:{assignment.target_id}")


#: The gap an assigned piece of content is the one-click remedy for (gaps/remedies.py): a
#: refresher or a module for knowledge, a role-play for belief.
GAP_OF_KIND = {"quiz": "knowledge", "module": "knowledge", "roleplay": "belief"}


def refresher_for(catalog, topic):
    """The topic's refresher: the one-click remedy for a knowledge gap."""
    return next((find_target(catalog, f"quiz:{q.id}") for q in sorted(catalog.quizzes.values(), key=lambda q: q.id)
                 if q.kind == "refresher" and q.topic == topic), None)


def roleplay_for(catalog, topic):
    """The topic's first role-play: the one-click remedy for a belief gap."""
    return next((find_target(catalog, f"roleplay:{r.id}") for r in sorted(catalog.roleplays.values(), key=lambda r: r.id)
                 if r.topic == topic), None)


def is_open():
    """SQL: neither done nor withdrawn."""
    return Assignment.completed_at.is_(None) & Assignment.cancelled_at.is_(None)


class AssignmentRefused(ValueError):
    """Why an assignment was not made, in the coach's language; nothing was written."""


@dataclass(frozen=True)
class Skipped:
    """Someone chosen who did not get the assignment, and why."""

    agent: User
    reason: str  # open: has it and not done yet (due ``due_on``) | outside: not in the coach's teams
    due_on: object = None


@dataclass(frozen=True)
class Assigned:
    """What one assign() did: the new assignments, and who was skipped."""

    made: list
    skipped: list


def skipped_text(skipped):
    """'Skipped: Kaveh (already has it, due Dec 5, 2026); ...', for the coach."""
    names = [_("%(name)s (already has it, due %(date)s)", name=isolate(s.agent.display_name), date=format_day(s.due_on))
             if s.reason == "open" else _("%(name)s (not in the teams you coach)", name=isolate(s.agent.display_name))
             for s in skipped]
    return _("Skipped: %(people)s.", people="; ".join(names))


def assign(coach, agents, target, due_on, note="", now=None, also=None):
    """Assign ``target`` by ``due_on`` to each of ``agents`` who can take it: one in the coach's
    teams without an open assignment of it. The others are skipped; refused when nobody is left.
    ``also(assignment)``, when given, runs for each new assignment in the same transaction."""
    now = now or utcnow()
    if not agents:
        raise AssignmentRefused(_("Choose at least one agent or team."))
    if due_on < now.date():
        raise AssignmentRefused(_("The due date %(date)s is in the past.", date=format_day(due_on)))
    ours = [a for a in agents if can_coach(coach, a)]
    skipped = [Skipped(a, "outside") for a in agents if a not in ours]
    taken = dict(db.session.execute(
        select(Assignment.user_id, Assignment.due_on)
        .where(Assignment.user_id.in_([a.id for a in ours]), Assignment.kind == target.kind,
               Assignment.target_id == target.id, is_open())).all())
    skipped += [Skipped(a, "open", taken[a.id]) for a in ours if a.id in taken]
    skipped.sort(key=lambda s: s.agent.display_name)
    takers = [a for a in ours if a.id not in taken]
    if not takers:
        raise AssignmentRefused(_("Nothing was assigned.") + " " + skipped_text(skipped))
    made = [_record(agent, coach, target, due_on, note.strip(), now) for agent in takers]
    if also is not None:
        for row in made:
            also(row)
    endpoint, args = target.link
    notify([a.id for a in takers], "assigned", {"by": coach.display_name, "target": target.key,
                                                "due": due_on.isoformat()}, endpoint, args, now)
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent request assigned the same thing first
        db.session.rollback()
        raise AssignmentRefused(_("Someone assigned this at the same moment. Nothing was assigned; "
                                  "reload to see it.")) from None
    return Assigned(made, skipped)


def _record(agent, by, target, due_on, note, now):
    """One assignment and its audit event, in the caller's transaction; ``by`` None: the system."""
    row = Assignment(user_id=agent.id, assigned_by_id=by.id if by is not None else None, kind=target.kind,
                     target_id=target.id, topic=target.topic, due_on=due_on, note=note, created_at=now)
    db.session.add(row)
    trail.record("assignment.made", by, agent, target.key, after={"due_on": due_on, "note": note}, at=now)
    return row


def assign_by_system(agent, target, due_on, now=None):
    """Assign ``target`` to ``agent`` on CX Academy's own behalf (a certificate's renewal), in
    the caller's transaction, unless an open assignment of it exists: the new one, or None."""
    now = now or utcnow()
    if db.session.scalar(select(Assignment.id).where(
            Assignment.user_id == agent.id, Assignment.kind == target.kind, Assignment.target_id == target.id,
            is_open())) is not None:
        return None
    try:
        with db.session.begin_nested():  # a coach may assign it at the same moment
            return _record(agent, None, target, due_on, "", now)
    except IntegrityError:
        return None


def default_due(now, days=7):
    return now.date() + timedelta(days=days)


def complete(user_id, kind, target_ids, now=None):
    """Mark the agent's open assignments of these targets done (made before ``now``), in the
    caller's transaction."""
    now = now or utcnow()
    done = db.session.execute(
        update(Assignment).where(Assignment.user_id == user_id, Assignment.kind == kind,
                                 Assignment.target_id.in_(list(target_ids)), is_open(),
                                 Assignment.created_at <= now)
        .values(completed_at=now).returning(Assignment.target_id)
        .execution_options(synchronize_session=False)).scalars().all()
    if done:
        agent = db.session.get(User, user_id)
        for target_id in done:
            trail.record("assignment.completed", agent, agent, f"{kind}:{target_id}", after={"status": "done"}, at=now)


def cancel(coach, assignment_id, now=None):
    """Withdraw an open assignment of one of the coach's agents; the agent is told. Returns
    False when it is done or withdrawn already (nothing changes)."""
    now = now or utcnow()
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not can_coach(coach, assignment.agent):
        raise LookupError(assignment_id)
    won = db.session.execute(update(Assignment).where(Assignment.id == assignment.id, is_open())
                             .values(cancelled_at=now).execution_options(synchronize_session=False)).rowcount
    if won != 1:
        db.session.rollback()
        return False
    key = f"{assignment.kind}:{assignment.target_id}"
    trail.record("assignment.withdrawn", coach, assignment.agent, key, before={"status": "open"},
                 after={"status": "withdrawn"}, at=now)
    notify([assignment.user_id], "withdrawn", {"by": coach.display_name, "target": key}, "lms.coaching.todo", {}, now)
    db.session.commit()
    return True


def is_assigned(user_id, module):
    """Whether the agent has an open assignment of ``module`` or of its quiz."""
    return db.session.scalar(select(Assignment.id).where(
        Assignment.user_id == user_id, is_open(),
        ((Assignment.kind == "module") & (Assignment.target_id == module.id))
        | ((Assignment.kind == "quiz") & (Assignment.target_id == module.quiz_id))).limit(1)) is not None


def open_assignments(user_id):
    return db.session.scalars(select(Assignment).where(Assignment.user_id == user_id,
                                                       is_open())
                              .order_by(Assignment.due_on, Assignment.id)).all()


def open_by_target(user_id):
    """The agent's open assignments by target key ("quiz:<id>"): a remedy already assigned."""
    return {f"{a.kind}:{a.target_id}": a for a in open_assignments(user_id)}


def history(user_id, limit=20):
    """The agent's assignments, newest first, done or not."""
    return db.session.scalars(select(Assignment).where(Assignment.user_id == user_id)
                              .order_by(Assignment.created_at.desc(), Assignment.id.desc()).limit(limit)).all()


def overdue(agent_ids, today):
    """Open assignments past their due date, oldest due first."""
    return db.session.scalars(select(Assignment).where(Assignment.user_id.in_(agent_ids),
                                                       is_open(), Assignment.due_on < today)
                              .order_by(Assignment.due_on, Assignment.id)).all()
