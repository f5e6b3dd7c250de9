"""What coaching does when learners act: listeners on the plugin's signals."""

from ..signals import quiz_submitted, roleplay_finished
from . import assigning, spacing


def connect(app):
    quiz_submitted.connect(_after_quiz, sender=app, weak=False)
    roleplay_finished.connect(_after_roleplay, sender=app, weak=False)


def _after_quiz(app, attempt, grading):
    """A submitted quiz does its assignment (a module's only when passed), and its missed
    items join the agent's spaced re-quizzes."""
    assigning.complete(attempt.user_id, "quiz", [attempt.quiz_id], attempt.closed_at)
    quiz = app.extensions["lms"].catalog.quizzes.get(attempt.quiz_id)
    if quiz is not None and quiz.module_id and grading.passed:
        assigning.complete(attempt.user_id, "module", [quiz.module_id], attempt.closed_at)
    spacing.record_misses(attempt.user_id, grading.results, attempt.closed_at)


def _after_roleplay(app, run):
    assigning.complete(run.user_id, "roleplay", [run.roleplay_id], run.finished_at)
