"""Quiz attempts: opening one (a fresh draw, within the retake rules), saving answers as they
are given, submitting exactly once, and closing an overdue one on what was saved by its deadline.

The database, not the code, guarantees the hard rules:
- one open attempt per learner and quiz (a partial unique index);
- one submission per attempt (an UPDATE ... WHERE status = 'open' that only one
  transaction can win, with the answers and evidence written in that same transaction,
  under unique constraints on (attempt, item)).
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.attributes import set_committed_value

from .. import db
from ..accounts.models import User
from ..audit import trail
from ..db import utcnow
from .. import events, evidence
from . import drawing
from .completion import complete_module
from .grading import decode_response, encode_response, grade, points_by_group, rest_score, submission_digest
from .models import (
    BY_DEADLINE,
    BY_LEARNER,
    EXPIRED,
    OPEN,
    SUBMITTED,
    AttemptAnswer,
    AttemptScore,
    QuizAttempt,
)
from .retakes import RetakeRefused, retake_status_of


class AttemptNotFound(LookupError):
    """No such attempt for this learner and quiz (another user's id looks the same)."""


class AttemptClosed(ValueError):
    """An answer saved to an attempt that is no longer open (submitted, or past its deadline)."""


@dataclass(frozen=True)
class Outcome:
    """What a submission led to. ``state`` is one of:
    submitted (graded now), replayed (the same post again), stale (the attempt was already
    closed with other answers), late (posted after the deadline and grace period: graded on the
    answers saved by then), expired (the quiz changed since the attempt began: nothing counted)."""

    state: str
    attempt: QuizAttempt


def open_attempt(user_id, quiz_id):
    return db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id,
                                  QuizAttempt.status == OPEN)
    )


def attempts_at(user_id, quiz_id):
    """Every attempt of the learner at the quiz, the latest first: the open one, if any, and
    what the retake rules judge (retakes.retake_status_of)."""
    return db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id)
                              .order_by(QuizAttempt.started_at.desc())).all()


def grace_period():
    return timedelta(seconds=current_app.config["LMS_QUIZ_GRACE_SECONDS"])


def start_or_resume(user_id, quiz, catalog, locale=None, now=None, rng=None):
    """The learner's open attempt at ``quiz``, or a new one with a fresh draw of items.

    An open attempt past its deadline is closed first. A new one must pass the quiz's retake
    rules (RetakeRefused says when it may start). Two requests racing to open one both end
    up with the same attempt: the loser's insert hits the unique index."""
    now = now or utcnow()
    attempts = attempts_at(user_id, quiz.id)
    attempt = next((a for a in attempts if a.status == OPEN), None)
    if attempt is not None:
        close_if_overdue(attempt, catalog, now)
        if attempt.status == OPEN:
            return attempt
    status = retake_status_of(quiz, attempts, now)
    if not status.allowed:
        raise RetakeRefused(status)
    shown = drawing.draw(quiz, last_seen(user_id), rng)
    deadline = now + timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    attempt = QuizAttempt(user_id=user_id, quiz_id=quiz.id, quiz_version=quiz.version, topic=quiz.topic, status=OPEN,
                          locale=locale, started_at=now, deadline_at=deadline)
    db.session.add(attempt)
    try:
        db.session.flush()  # the unique index decides a race here, before anything is recorded
    except IntegrityError:
        db.session.rollback()
        return open_attempt(user_id, quiz.id)
    # The drawn items as plain rows (one statement, no unit of work: the start of a quiz burst
    # is the busiest moment a site has); attempt.answers loads them when asked.
    db.session.execute(insert(AttemptAnswer.__table__), [
        {"attempt_id": attempt.id, "item_id": s.item.id, "position": s.position, "option_order": s.option_order}
        for s in shown])
    learner = db.session.get(User, user_id)
    trail.record_now("attempt.started", learner, learner, f"attempt:{attempt.id}", after={"quiz": quiz.id}, at=now)
    attempt_id = attempt.id
    db.session.commit()
    # The commit expired the attempt; its id is known, so the caller's redirect to it does not
    # read the row again (anything else is loaded when first asked for, as usual).
    set_committed_value(attempt, "id", attempt_id)
    return attempt


def last_seen(user_id):
    """Item id -> when the learner was last shown it in an attempt (at any quiz: a quiz may share
    another's items). Not narrowed to one bank by an IN list: a statement with that many
    parameters is parsed afresh each time and never prepared."""
    rows = db.session.execute(
        select(AttemptAnswer.item_id, func.max(QuizAttempt.started_at))
        .join(QuizAttempt, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.user_id == user_id)
        .group_by(AttemptAnswer.item_id))
    return dict(rows.all())


def shown_items(attempt, catalog):
    """The attempt's items as drawing.Shown, in the order shown (None when an item has left
    the catalogue since)."""
    return [drawing.Shown(catalog.items[a.item_id], a.position, tuple(a.option_order) if a.option_order else None)
            if a.item_id in catalog.items else None for a in attempt.answers]


def saved_responses(attempt, catalog):
    """Item id -> the response saved so far, for the items still in the catalogue."""
    return {a.item_id: decode_response(catalog.items[a.item_id], a.response)
            for a in attempt.answers if a.item_id in catalog.items}


#: Built once, like the session's user statement: Session.get with options builds a new
#: statement (and its cache key) on every call, and every request of an attempt runs this.
_WITH_ANSWERS = (select(QuizAttempt).options(joinedload(QuizAttempt.answers))
                 .where(QuizAttempt.id == bindparam("attempt_id")))


def get_attempt(user_id, quiz_id, attempt_id):
    """The learner's own attempt, or :class:`AttemptNotFound`. Its answers come with it, in
    the same statement: every page of an attempt needs them."""
    attempt = (db.session.identity_map.get(identity_key(QuizAttempt, attempt_id))  # held already (as Session.get)
               or db.session.execute(_WITH_ANSWERS, {"attempt_id": attempt_id}).unique().scalar_one_or_none())
    if attempt is None or attempt.user_id != user_id or attempt.quiz_id != quiz_id:
        raise AttemptNotFound(attempt_id)
    return attempt


def save_answers(user_id, quiz, attempt_id, responses, now=None, locale=None):
    """Store answers as they are given (``responses``: item id -> response, from
    grading.read_responses), so a closed tab loses nothing. Refused once the attempt is closed
    or past its deadline and grace period; returns the number of answers saved."""
    now = now or utcnow()
    attempt = get_attempt(user_id, quiz.id, attempt_id)
    if attempt.status != OPEN or _past_deadline(attempt, now):
        raise AttemptClosed(attempt_id)
    for answer in attempt.answers:
        if answer.item_id in responses:
            response = responses[answer.item_id]
            answer.response = encode_response(response) if response is not None else None
            answer.saved_at, answer.locale = now, locale or answer.locale
    # Only while the attempt is still open: a submission that won meanwhile keeps its answers.
    still_open = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN)
        .values(status=OPEN).execution_options(synchronize_session=False)).rowcount
    if still_open != 1:
        db.session.rollback()
        raise AttemptClosed(attempt_id)
    db.session.commit()
    return len(responses)


def submit(user_id, quiz, catalog, attempt_id, responses, now=None, locale=None):
    """Grade and store a submission exactly once; see :class:`Outcome` for the results.

    ``responses`` come from :func:`grading.read_responses`, which has already refused
    unknown items and impossible answers; ``locale`` is the language they were given in."""
    now = now or utcnow()
    attempt = get_attempt(user_id, quiz.id, attempt_id)
    digest = submission_digest(responses)
    if attempt.status != OPEN:
        return _judge_closed(attempt, digest)
    if attempt.quiz_version != quiz.version:
        _close_changed(attempt)
        return Outcome(EXPIRED, attempt)
    if _past_deadline(attempt, now):
        # Too late for this post: the attempt is graded on what was saved by the deadline.
        close_if_overdue(attempt, catalog, now)
        return Outcome("late", attempt)
    return _grade_and_close(attempt, quiz, catalog, responses, now, now, BY_LEARNER, digest, locale)


def close_if_overdue(attempt, catalog, now=None):
    """Close an open attempt whose deadline and grace period have passed, graded on the
    answers saved by then (never thrown away)."""
    now = now or utcnow()
    if attempt.status != OPEN or not _past_deadline(attempt, now):
        return
    quiz = catalog.quizzes.get(attempt.quiz_id)
    if quiz is None or quiz.version != attempt.quiz_version:
        _close_changed(attempt)
        return
    responses = saved_responses(attempt, catalog)
    _grade_and_close(attempt, quiz, catalog, responses, attempt.deadline_at, now, BY_DEADLINE,
                     submission_digest(responses))


def close_overdue_attempts(catalog, now=None):
    """Close every open attempt past its deadline and grace period (a sweep for attempts
    whose learners never came back); returns how many were closed."""
    now = now or utcnow()
    overdue = db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.status == OPEN, QuizAttempt.deadline_at.is_not(None),
        QuizAttempt.deadline_at < now - grace_period())).all()
    for attempt in overdue:
        close_if_overdue(attempt, catalog, now)
    return len(overdue)


def _grade_and_close(attempt, quiz, catalog, responses, closed_at, now, closed_by, digest, locale=None):
    """``locale``: the language the answers were posted in (none when the deadline closes it:
    each answer keeps the language it was saved in)."""
    shown = [s for s in shown_items(attempt, catalog) if s is not None]
    grading = grade([s.item for s in shown], responses, quiz.pass_mark)
    closing = {"status": SUBMITTED, "closed_at": closed_at, "closed_by": closed_by, "submission_digest": digest,
               "points": grading.points, "max_points": grading.max_points, "score": grading.score,
               "passed": grading.passed}
    won = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN).values(**closing)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return _judge_closed(attempt, digest)
    _set_loaded(attempt, closing)  # as written: no need to read the row back
    completed = _store_results(attempt, quiz, catalog, grading, closed_at, now, locale)
    learner = db.session.get(User, attempt.user_id)
    trail.record_now("attempt.graded" if closed_by == BY_LEARNER else "attempt.closed",
                     learner if closed_by == BY_LEARNER else None, learner, f"attempt:{attempt.id}",
                     before={"status": OPEN}, after={"quiz": quiz.id, "status": SUBMITTED, "closed_by": closed_by,
                                                     "score": round(grading.score, 4), "passed": grading.passed},
                     at=now)
    # What the submission causes is stored with it (lms/events.py): all of it or none.
    events.happen("quiz_submitted", attempt=attempt, grading=grading)
    if completed:
        events.happen("module_completed", user_id=attempt.user_id, module_id=quiz.module_id)
    events.commit()
    state = "submitted" if closed_by == BY_LEARNER else "late"
    return Outcome(state, attempt)


def _store_results(attempt, quiz, catalog, grading, closed_at, now, locale):
    """Answers and evidence rows, in the caller's transaction; whether the module became
    complete with this pass."""
    answers = {a.item_id: a for a in attempt.answers}
    graded, evidence_rows = [], []
    for result in grading.results:
        item, answer = result.item, answers[result.item.id]
        values = {"response": encode_response(result.response) if result.response is not None else None,
                  "value": result.value, "points": result.points,
                  "rest_score": rest_score(grading, result) if item.graded else None,
                  "locale": locale or answer.locale or attempt.locale,
                  "saved_at": answer.saved_at if answer.saved_at and answer.saved_at >= closed_at
                  else min(now, closed_at)}
        graded.append({"answer_id": answer.id, **values})
        _set_loaded(answer, values)
        if result.value is not None:
            evidence_rows.append({"user_id": attempt.user_id, "item_id": item.id, "topic": item.topic,
                                  "dimension": item.dimension, "value": result.value, "source": "quiz",
                                  "source_id": attempt.id, "content_version": item.version,
                                  "created_at": closed_at})
    # Every answer in one statement run for each row (the same columns for all of them; through
    # the unit of work they would go as several statements, one per set of columns changed).
    if graded:
        answer_table = AttemptAnswer.__table__
        db.session.execute(update(answer_table).where(answer_table.c.id == bindparam("answer_id")), graded)
    evidence.record_all(evidence_rows)
    db.session.add_all(AttemptScore(attempt_id=attempt.id, topic=topic, dimension=dimension, items=items,
                                    points=points, points_sq=squares, max_points=top)
                       for (topic, dimension), (items, points, squares, top) in points_by_group(grading).items())
    module = catalog.modules.get(quiz.module_id) if grading.passed else None
    completed = module is not None and complete_module(attempt.user_id, module, attempt.id, closed_at)
    db.session.flush()
    return completed


def _set_loaded(row, values):
    """Give an ORM object the values just written to its row by a statement of our own, as if
    loaded: what reads them later in the request sees them, and the unit of work does not
    write them again."""
    for key, value in values.items():
        set_committed_value(row, key, value)


def _judge_closed(attempt, digest):
    if attempt.status == SUBMITTED and attempt.submission_digest == digest:
        return Outcome("replayed", attempt)
    if attempt.status == EXPIRED:
        return Outcome(EXPIRED, attempt)
    if attempt.status == SUBMITTED and attempt.closed_by == BY_DEADLINE:
        return Outcome("late", attempt)
    return Outcome("stale", attempt)


def _past_deadline(attempt, now):
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace_period()


def _close_changed(attempt):
    """Close an open attempt whose quiz changed since it began: it counts nothing."""
    won = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == OPEN)
        .values(status=EXPIRED, closed_at=attempt.deadline_at or utcnow(), score=0.0, passed=False)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won:
        learner = db.session.get(User, attempt.user_id)
        trail.record("attempt.closed", None, learner, f"attempt:{attempt.id}", before={"status": OPEN},
                     after={"quiz": attempt.quiz_id, "status": EXPIRED}, reason="the quiz changed while it was open")
    db.session.commit()
    db.session.refresh(attempt)
