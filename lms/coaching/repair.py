"""Missed quiz items that never reached the spaced re-quizzes (a submission stored before
scheduling was in its transaction): scheduled now as of the submission, once. A miss counts
as scheduled when the agent's row for the item was missed at or after the attempt closed."""

from sqlalchemy import exists, or_, select

from .. import db
from ..learning.models import SUBMITTED, AttemptAnswer, QuizAttempt
from .models import SpacedItem
from .spacing import schedule_misses


def unscheduled_misses():
    """(user id, item id, closed at, attempt topic) of every graded item answered wrong in a
    submitted attempt with no spaced row since."""
    return db.session.execute(
        select(QuizAttempt.user_id, AttemptAnswer.item_id, QuizAttempt.closed_at, QuizAttempt.topic)
        .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.status == SUBMITTED, AttemptAnswer.rest_score.is_not(None),  # graded items only
               or_(AttemptAnswer.value.is_(None), AttemptAnswer.value < 1 - 1e-9),
               ~exists().where(SpacedItem.user_id == QuizAttempt.user_id, SpacedItem.item_id == AttemptAnswer.item_id,
                               SpacedItem.missed_at >= QuizAttempt.closed_at))
        .order_by(QuizAttempt.closed_at)).all()


def repair(catalog):
    missing = unscheduled_misses()
    schedule_misses([(user_id, item_id, item.topic if (item := catalog.items.get(item_id)) else topic, closed_at)
                     for user_id, item_id, closed_at, topic in missing])
    db.session.commit()
    return {"missed items": len(missing)}
