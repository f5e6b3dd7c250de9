"""When a learner may start another attempt at a quiz (its ``retakes`` rules), and what the
result page of an attempt may show. Plain rules over a few facts read from the database."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import db
from .models import OPEN, AttemptAnswer, QuizAttempt

#: The window "per day" counts attempts in, so the rule reads the same in every time zone.
DAY = timedelta(hours=24)

ALLOWED, COOLDOWN, DAILY_LIMIT, NO_ATTEMPTS_LEFT = "allowed", "cooldown", "daily_limit", "no_attempts_left"


@dataclass(frozen=True)
class RetakeStatus:
    allowed: bool
    reason: str  # ALLOWED | COOLDOWN | DAILY_LIMIT | NO_ATTEMPTS_LEFT
    next_at: datetime | None = None  # when the next attempt may start (None: never, or now)
    attempts_left: int | None = None  # None: no limit


class RetakeRefused(Exception):
    """A new attempt refused by the quiz's retake rules; ``status`` says why and until when."""

    def __init__(self, status):
        super().__init__(status.reason)
        self.status = status


def judge_retake(rules, starts, last_closed_at, now):
    """May another attempt start at ``now``, given the quiz's Retakes ``rules``, the start
    times of the learner's attempts at it and when their last one closed?"""
    left = None if not rules.max_attempts else max(rules.max_attempts - len(starts), 0)
    if left == 0:
        return RetakeStatus(False, NO_ATTEMPTS_LEFT, None, 0)
    if last_closed_at is not None and rules.cooldown_minutes:
        ready = last_closed_at + timedelta(minutes=rules.cooldown_minutes)
        if now < ready:
            return RetakeStatus(False, COOLDOWN, ready, left)
    recent = sorted(start for start in starts if start > now - DAY)
    if len(recent) >= rules.per_day:
        return RetakeStatus(False, DAILY_LIMIT, recent[-rules.per_day] + DAY, left)
    return RetakeStatus(True, ALLOWED, None, left)


def retake_status(user_id, quiz, now):
    """judge_retake() for the learner's attempts at ``quiz``."""
    rows = db.session.execute(select(QuizAttempt.started_at, QuizAttempt.closed_at, QuizAttempt.status)
                              .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id)).all()
    return retake_status_of(quiz, rows, now)


def retake_status_of(quiz, attempts, now):
    """judge_retake() for ``attempts`` already loaded (every attempt of one learner at ``quiz``)."""
    closed = [a.closed_at for a in attempts if a.status != OPEN and a.closed_at is not None]
    return judge_retake(quiz.retakes, [a.started_at for a in attempts], max(closed, default=None), now)


# -- what a result page shows ---------------------------------------------------------------

#: Everything (answers, keys, explanations); which items were wrong and the idea behind each;
#: the score alone.
FULL, WRONG_ONLY, SCORE_ONLY = "full", "wrong_only", "score_only"


def review_level(attempt, quiz_open, attempts_left):
    """What the result page of a closed ``attempt`` may show: nothing per item while another
    attempt at the same quiz is open (``quiz_open``); everything after a pass or the last
    attempt allowed; otherwise which items were wrong and the idea behind them, not the key."""
    if quiz_open:
        return SCORE_ONLY
    if attempt.passed or attempts_left == 0:
        return FULL
    return WRONG_ONLY


def withheld_items(user_id):
    """Ids of the items in the learner's open attempts: no page may show their keys now."""
    return frozenset(db.session.scalars(
        select(AttemptAnswer.item_id).join(QuizAttempt, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.status == OPEN)))
