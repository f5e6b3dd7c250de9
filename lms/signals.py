"""Documented hooks for host applications and other features (blinker signals).

    from lms.signals import module_completed

    @module_completed.connect
    def award(app, user_id, module_id): ...
"""

from blinker import Namespace

_signals = Namespace()

#: Sent after a lesson is first marked read: (app, user_id, lesson_id).
lesson_completed = _signals.signal("lms-lesson-completed")
#: Sent after a quiz attempt is graded and stored: (app, attempt, grading).
quiz_submitted = _signals.signal("lms-quiz-submitted")
#: Sent the first time a learner passes a module's quiz: (app, user_id, module_id).
module_completed = _signals.signal("lms-module-completed")
#: Sent when an agent's role-play run reaches an ending: (app, run).
roleplay_finished = _signals.signal("lms-roleplay-finished")
#: Sent after a coach's review of a typed role-play reply is stored: (app, review).
reply_reviewed = _signals.signal("lms-reply-reviewed")
#: Sent after a certificate is issued (by a completion, a renewal or a manager): (app, certificate).
certificate_issued = _signals.signal("lms-certificate-issued")
#: Sent after a manager revokes a certificate: (app, certificate).
certificate_revoked = _signals.signal("lms-certificate-revoked")
#: Sent after a manager restores a revoked certificate: (app, certificate).
certificate_restored = _signals.signal("lms-certificate-restored")
