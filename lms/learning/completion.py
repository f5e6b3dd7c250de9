"""When a module is complete: every lesson opened and its quiz passed, in whichever order."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import db
from .models import SUBMITTED, LessonRead, ModuleCompletion, QuizAttempt


def lessons_unread(user_id, module):
    """The module's lessons the learner has not opened yet."""
    read = set(db.session.scalars(select(LessonRead.lesson_id).where(
        LessonRead.user_id == user_id, LessonRead.lesson_id.in_([lesson.id for lesson in module.lessons]))))
    return [lesson for lesson in module.lessons if lesson.id not in read]


def passing_attempt(user_id, quiz_id):
    """The learner's first passed attempt at ``quiz_id``, or None."""
    return db.session.scalar(select(QuizAttempt.id).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id, QuizAttempt.status == SUBMITTED,
        QuizAttempt.passed.is_(True)).order_by(QuizAttempt.closed_at).limit(1))


def complete_module(user_id, module, attempt_id, now):
    """Record ``module`` complete, in the caller's transaction, if every lesson has been opened
    (``attempt_id`` being a pass of its quiz); True when this call completed it."""
    if lessons_unread(user_id, module):
        return False
    try:
        with db.session.begin_nested():  # a concurrent request may complete it first
            db.session.add(ModuleCompletion(user_id=user_id, module_id=module.id, attempt_id=attempt_id,
                                            completed_at=now))
    except IntegrityError:
        return False
    return True
