"""Where a learner stands on the path: plain functions over a few set-based queries."""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import Float, Integer, cast, func, literal, null, select, union_all

from .. import db
from ..db import param
from .models import SUBMITTED, LessonRead, ModuleCompletion, QuizAttempt

LOCKED, NOT_STARTED, IN_PROGRESS, COMPLETE = "locked", "not_started", "in_progress", "complete"


@dataclass(frozen=True)
class ModuleProgress:
    module: object
    state: str
    lessons_read: int
    lessons_total: int
    best_score: float | None
    attempts: int
    missing: tuple  # modules still required before this one opens
    day: int | None = None
    quiz_passed: bool = False  # complete once every lesson is opened too
    lessons_left: tuple = ()  # lessons still to open, in module order

    @property
    def steps_done(self):
        """Lessons read plus the quiz, for a progress bar."""
        return self.lessons_read + (1 if self.state == COMPLETE else 0)

    @property
    def steps_total(self):
        return self.lessons_total + 1


@dataclass(frozen=True)
class LearnerState:
    """The raw facts about one learner, read in one statement."""

    read: frozenset
    completed: frozenset
    scores: dict  # quiz id -> (best score, attempts)
    passed: frozenset = frozenset()  # quiz ids passed at least once


@lru_cache(maxsize=None)
def _state_statement():
    """Built once with the learner as a bound parameter: building it cost as much as running it."""
    user_id = param("user_id", Integer())
    no_number = (cast(null(), Float), cast(null(), Integer), cast(null(), Integer))
    return union_all(
        select(literal("read"), LessonRead.lesson_id, *no_number).where(LessonRead.user_id == user_id),
        select(literal("completed"), ModuleCompletion.module_id, *no_number).where(ModuleCompletion.user_id == user_id),
        select(literal("quiz"), QuizAttempt.quiz_id, func.max(QuizAttempt.score), func.count(),
               func.count().filter(QuizAttempt.passed.is_(True)))
        .where(QuizAttempt.user_id == user_id, QuizAttempt.status == SUBMITTED)
        .group_by(QuizAttempt.quiz_id),
    )


def learner_state(user_id):
    # Every page of the path needs this: one round trip to the database rather than three.
    rows = db.session.execute(_state_statement(), {"user_id": user_id}).all()
    ids = {"read": set(), "completed": set()}
    scores, passed = {}, set()
    for kind, key, best, count, passes in rows:
        if kind == "quiz":
            scores[key] = (best, count)
            if passes:
                passed.add(key)
        else:
            ids[kind].add(key)
    return LearnerState(frozenset(ids["read"]), frozenset(ids["completed"]), scores, frozenset(passed))


def completed_modules(user_id):
    """The ids of the modules the learner has completed: all a module's gate needs."""
    return frozenset(db.session.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user_id)))


def waiting_for(module, completed):
    """The modules ``module`` requires that are not in ``completed``; none once it is complete
    itself (a requirement added later does not lock a module already done)."""
    return () if module.id in completed else tuple(m for m in module.requires if m not in completed)


def module_progress(module, state, days=None):
    """The progress of one module, given a learner's state."""
    missing = waiting_for(module, state.completed)
    lessons_read = sum(1 for lesson in module.lessons if lesson.id in state.read)
    best, attempts = state.scores.get(module.quiz_id, (None, 0))
    if module.id in state.completed:
        status = COMPLETE
    elif missing:
        status = LOCKED
    elif lessons_read or attempts:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    unread = tuple(lesson for lesson in module.lessons if lesson.id not in state.read)
    return ModuleProgress(module, status, lessons_read, len(module.lessons), best, attempts, missing,
                          (days or {}).get(module.id), module.quiz_id in state.passed, unread)


def path_progress(catalog, state):
    """Every module in path order with its progress."""
    days = {step.module_id: step.day for step in catalog.path.steps} if catalog.path else {}
    return [module_progress(module, state, days) for module in catalog.ordered_modules()]


def suggested_date(hired_on, day):
    """The calendar date of a path's "day N" for someone hired on ``hired_on`` (day 1)."""
    return hired_on + timedelta(days=day - 1) if hired_on and day else None


def next_step(progress):
    """The first module that is open and not complete: what the learner should do next."""
    return next((p for p in progress if p.state in (IN_PROGRESS, NOT_STARTED)), None)


def after_module(catalog, state, module):
    """What follows a completed ``module`` on its track (the onboarding path, or the coach and
    manager track): (the next open module, or None; whether every module on the track is complete)."""
    track = [module_progress(m, state) for m in catalog.ordered_modules(leaders=True)] \
        if module.for_leaders else path_progress(catalog, state)
    return next_step(track), all(p.state == COMPLETE for p in track)
