"""What coaching does when learners act: listeners on the plugin's signals."""

from ..db import utcnow
from ..signals import module_completed, quiz_submitted, roleplay_finished
from . import assigning, digest_job, spacing  # noqa: F401  (digest_job: registers its kind)


def connect(app):
    quiz_submitted.connect(_after_quiz, sender=app, weak=False)
    module_completed.connect(_after_module, sender=app, weak=False)
    roleplay_finished.connect(_after_roleplay, sender=app, weak=False)


def _after_quiz(app, attempt, grading):
    """A submitted quiz does its assignment, and its missed items join the agent's spaced
    re-quizzes."""
    assigning.complete(attempt.user_id, "quiz", [attempt.quiz_id], attempt.closed_at)
    spacing.record_misses(attempt.user_id, grading.results, attempt.closed_at)


def _after_module(app, user_id, module_id):
    """A module assignment is done when the module is complete: every lesson opened, the quiz passed."""
    assigning.complete(user_id, "module", [module_id], utcnow())


def _after_roleplay(app, run):
    assigning.complete(run.user_id, "roleplay", [run.roleplay_id], run.finished_at)
