"""What coaching does when learners act: consequences run in the event's transaction
(lms/events.py), so a submission is never stored without its missed items scheduled."""

from ..db import utcnow
from . import assigning, digest_job, spacing  # noqa: F401  (digest_job: registers its kind)


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


CONSEQUENCES = {"quiz_submitted": (after_quiz,), "module_completed": (after_module,),
                "roleplay_finished": (after_roleplay,)}
