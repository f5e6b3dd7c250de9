"""What certificates do when learners act: listeners on the plugin's signals."""

from ..signals import module_completed, quiz_submitted
from .issuing import issue_for_completion, renew_on_pass


def connect(app):
    module_completed.connect(_after_module, sender=app, weak=False)
    quiz_submitted.connect(_after_quiz, sender=app, weak=False)


def _after_module(app, user_id, module_id):
    """Completing a module issues its certificate (and the path's once every step is done)."""
    issue_for_completion(app.extensions["lms"].catalog, user_id, module_id)


def _after_quiz(app, attempt, grading):
    """Passing a renewal quiz renews an expiring or expired certificate (module_completed is
    sent only on the first completion, so re-passing the module's quiz comes here too)."""
    if grading.passed:
        renew_on_pass(app.extensions["lms"].catalog, attempt.user_id, attempt.quiz_id)
