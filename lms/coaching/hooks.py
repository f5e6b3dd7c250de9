"""What coaching does when learners act: consequences run in the event's transaction
(lms/events.py), so a submission is never stored without its missed items scheduled."""

from .. import db
from ..accounts.models import User
from ..db import utcnow
from ..roleplays.models import RoleplayRun, RoleplayStep
from . import assigning, digest_job, notifications, spacing  # noqa: F401  (digest_job: registers its kind)


def after_quiz(catalog, attempt, grading):
    """A submitted quiz does its assignment, and its missed items join the agent's spaced
    re-quizzes."""
    assigning.complete(attempt.user_id, "quiz", [attempt.quiz_id], attempt.closed_at)
    spacing.record_misses(attempt.user_id, grading.results, attempt.closed_at)


def after_module(catalog, user_id, module_id):
    """A module assignment is done when the module is complete: every lesson opened, the quiz passed."""
    assigning.complete(user_id, "module", [module_id], utcnow())


def after_roleplay(catalog, run):
    assigning.complete(run.user_id, "roleplay", [run.roleplay_id], run.finished_at)


def after_review(catalog, review):
    """The agent hears that a coach reviewed their reply."""
    run = db.session.get(RoleplayRun, db.session.get(RoleplayStep, review.step_id).run_id)
    coach = db.session.get(User, review.coach_id)
    notifications.notify([run.user_id], "reviewed",
                         {"coach": coach.display_name, "target": f"roleplay:{run.roleplay_id}"},
                         "lms.roleplays.run", {"roleplay_id": run.roleplay_id, "run_id": run.id}, review.reviewed_at)


CONSEQUENCES = {"quiz_submitted": (after_quiz,), "module_completed": (after_module,),
                "roleplay_finished": (after_roleplay,), "reply_reviewed": (after_review,)}
