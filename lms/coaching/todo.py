"""An agent's one to-do list: onboarding steps, assignments and the spaced re-quiz, by due date."""

from dataclasses import dataclass, field
from datetime import date

from .. import features
from ..i18n import content_text
from ..learning.progress import COMPLETE, LOCKED, learner_state, path_progress, suggested_date
from . import assigning, spacing

ONBOARDING, ASSIGNMENT, PRACTICE = "onboarding", "assignment", "practice"


@dataclass(frozen=True)
class Todo:
    kind: str
    title: str
    due_on: date | None
    endpoint: str
    args: dict = field(default_factory=dict)
    note: str = ""
    by: str = ""
    count: int = 0  # items in a re-quiz
    locked: bool = False  # an onboarding step whose earlier modules are not done yet

    def overdue(self, today):
        return self.due_on is not None and self.due_on < today


def build(catalog, progress, hired_on, assignments, practice_count, practice_due, pulses=()):
    """The list, soonest due first (undated last). A module both on the path and assigned
    appears once, as the assignment: the coach's date is the one that counts. ``pulses``: the
    pulses due (kind, questionnaire, due on, endpoint; the pulse feature's "pulses_due")."""
    assigned_modules = {a.target_id for a in assignments if a.kind == "module"}
    todos = []
    on_path = {step.module_id for step in catalog.path.steps} if catalog.path else set()
    for p in progress:
        if p.module.id in on_path and p.state != COMPLETE and p.module.id not in assigned_modules:
            todos.append(Todo(ONBOARDING, content_text(p.module.title), suggested_date(hired_on, p.day),
                              "lms.learning.module", {"module_id": p.module.id}, locked=p.state == LOCKED))
    for a in assignments:
        target = assigning.target_of(catalog, a)
        if target is None:
            continue  # its content was removed from the catalogue
        endpoint, args = target.link
        todos.append(Todo(ASSIGNMENT, content_text(target.title), a.due_on, endpoint, args, a.note,
                          a.assigned_by.display_name if a.assigned_by else ""))
    if practice_count:
        todos.append(Todo(PRACTICE, "", practice_due, "lms.coaching.practice", count=practice_count))
    for kind, pulse, due_on, endpoint in pulses:
        todos.append(Todo(kind, content_text(pulse.title), due_on, endpoint))
    return sorted(todos, key=lambda t: (t.due_on is None, t.due_on or date.max, t.locked))


def todo_for(catalog, user, today, progress=None, practice=None):
    """The agent's list; ``progress`` (their path progress) and ``practice`` (spacing.outlook)
    when the caller has them already."""
    practice = practice or spacing.outlook(user.id, today)
    progress = progress or path_progress(catalog, learner_state(user.id))
    # Without a hire date, day 1 of the path is the day the account was made.
    started = user.hired_on or (user.created_at.date() if user.created_at else today)
    return build(catalog, progress, started, assigning.open_assignments(user.id), practice.due,
                 practice.earliest if practice.due else None, features.ask("pulses_due", user, catalog, today))
