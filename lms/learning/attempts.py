"""Quiz attempts: opening one, submitting it exactly once, closing it at its deadline.

The database, not the code, guarantees the hard rules:
- one open attempt per learner and quiz (a partial unique index);
- one submission per attempt (an UPDATE ... WHERE status = 'open' that only one
  transaction can win, with the answers and evidence written in that same transaction,
  under unique constraints on (attempt, item)).
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import db
from ..db import utcnow
from ..gaps.models import Evidence
from ..signals import module_completed, quiz_submitted
from .grading import encode_response, grade, submission_digest
from .models import (
    EXPIRED,
    OPEN,
    SUBMITTED,
    AttemptAnswer,
    ModuleCompletion,
    QuizAttempt,
)


class AttemptNotFound(LookupError):
    """No such attempt for this learner and quiz (another user's id looks the same)."""


@dataclass(frozen=True)
class Outcome:
    """What a submission led to. ``state`` is one of:
    submitted (graded now), replayed (the same post again), stale (the attempt was already
    closed with other answers), expired (posted after the deadline and grace period)."""

    state: str
    attempt: QuizAttempt


def open_attempt(user_id, quiz_id):
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id,
                                  QuizAttempt.status == OPEN)
    )


def grace_period():
    return timedelta(seconds=current_app.config["LMS_QUIZ_GRACE_SECONDS"])


def start_or_resume(user_id, quiz, now=None):
    """The learner's open attempt at ``quiz``, opening one if there is none.

    An open attempt past its deadline is closed first. Two requests racing to open one
    both end up with the same attempt: the loser's insert hits the unique index."""
    now = now or utcnow()
    attempt = open_attempt(user_id, quiz.id)
    if attempt is not None:
        expire_if_overdue(attempt, now)
        if attempt.status == OPEN:
            return attempt
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = QuizAttempt(user_id=user_id, quiz_id=quiz.id, quiz_version=quiz.version, topic=quiz.topic, status=OPEN,
                          started_at=now, deadline_at=deadline)
    return db.add_or_get(attempt, lambda: open_attempt(user_id, quiz.id))


def expire_if_overdue(attempt, now=None):
    """Close an open attempt whose deadline and grace period have passed."""
    if attempt.status == OPEN and _past_deadline(attempt, now or utcnow()):
        _close_expired(attempt)


def get_attempt(user_id, quiz_id, attempt_id):
    """The learner's own attempt, or :class:`AttemptNotFound`."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user_id or attempt.quiz_id != quiz_id:
        raise AttemptNotFound(attempt_id)
    return attempt


def submit(user_id, quiz, attempt_id, responses, now=None):
    """Grade and store a submission exactly once; see :class:`Outcome` for the results.

    ``responses`` come from :func:`grading.read_responses`, which has already refused
    unknown items and impossible answers."""
    now = now or utcnow()
    attempt = get_attempt(user_id, quiz.id, attempt_id)
    digest = submission_digest(responses)
    if attempt.status != OPEN:
        return _judge_closed(attempt, digest)
    if _past_deadline(attempt, now) or attempt.quiz_version != quiz.version:
        # Too late, or the quiz was edited since the page was served: close it, count nothing.
        _close_expired(attempt)
        return Outcome(EXPIRED, attempt)

    grading = grade(quiz, responses)
    won = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN)
        .values(status=SUBMITTED, closed_at=now, submission_digest=digest, points=grading.points,
                max_points=grading.max_points, score=grading.score, passed=grading.passed)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return _judge_closed(attempt, digest)
    try:
        _store_results(user_id, quiz, attempt.id, grading, now)
        db.session.commit()
    except IntegrityError:
        # Another transaction stored this attempt's answers first: theirs stands.
        db.session.rollback()
        db.session.refresh(attempt)
        return _judge_closed(attempt, digest)
    db.session.refresh(attempt)
    quiz_submitted.send(current_app._get_current_object(), attempt=attempt, grading=grading)
    if grading.passed and quiz.module_id and _just_completed(user_id, quiz.module_id, attempt.id):
        module_completed.send(current_app._get_current_object(), user_id=user_id, module_id=quiz.module_id)
    return Outcome(SUBMITTED, attempt)


def _store_results(user_id, quiz, attempt_id, grading, now):
    """Answers and evidence rows, in the caller's transaction."""
    for result in grading.results:
        item = result.item
        db.session.add(AttemptAnswer(
            attempt_id=attempt_id, item_id=item.id, points=result.points, value=result.value,
            response=encode_response(result.response) if result.response is not None else None,
        ))
        if result.value is not None:
            db.session.add(Evidence(
                user_id=user_id, item_id=item.id, topic=item.topic, dimension=item.dimension,
                value=result.value, source="quiz", source_id=str(attempt_id),
                content_version=item.version, created_at=now,
            ))
    if grading.passed and quiz.module_id:
        done = db.session.scalar(select(ModuleCompletion.id).where(
            ModuleCompletion.user_id == user_id, ModuleCompletion.module_id == quiz.module_id))
        if done is None:
            db.session.add(ModuleCompletion(user_id=user_id, module_id=quiz.module_id, attempt_id=attempt_id,
                                            completed_at=now))
    db.session.flush()


def _just_completed(user_id, module_id, attempt_id):
    completion = db.session.scalar(select(ModuleCompletion).where(
        ModuleCompletion.user_id == user_id, ModuleCompletion.module_id == module_id))
    return completion is not None and completion.attempt_id == attempt_id


def _judge_closed(attempt, digest):
    if attempt.status == SUBMITTED and attempt.submission_digest == digest:
        return Outcome("replayed", attempt)
    if attempt.status == EXPIRED:
        return Outcome(EXPIRED, attempt)
    return Outcome("stale", attempt)


def _past_deadline(attempt, now):
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace_period()


def _close_expired(attempt):
    """Close an open attempt at its deadline (or now, if it had none); it counts nothing."""
    closed_at = attempt.deadline_at or utcnow()
    db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN)
        .values(status=EXPIRED, closed_at=closed_at, score=0.0, passed=False)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(attempt)
