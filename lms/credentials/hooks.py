"""What certificates do when learners act: consequences run in the event's transaction
(lms/events.py), so a pass is never stored without the certificate it earned."""

from .issuing import issue_for_completion, renew_on_pass


def after_module(catalog, user_id, module_id):
    """Completing a module issues its certificate (and the path's once every step is done)."""
    issue_for_completion(catalog, user_id, module_id)


def after_quiz(catalog, attempt, grading):
    """Passing a renewal quiz renews an expiring or expired certificate (module_completed
    happens only on the first completion, so re-passing the module's quiz comes here too)."""
    if grading.passed:
        renew_on_pass(catalog, attempt.user_id, attempt.quiz_id)


CONSEQUENCES = {"module_completed": (after_module,), "quiz_submitted": (after_quiz,)}
