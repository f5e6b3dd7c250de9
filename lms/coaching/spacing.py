"""Spaced re-quizzes: the idea behind an item answered wrong comes back after about 2, 7 and
21 days until it is answered right twice in a row. Each time it is re-tested with another item
of the same idea (a sibling sharing a tag) where the banks have one, so a key seen once is not
simply recalled. The schedule is a plain function; the rest stores misses and re-quiz answers,
each re-quiz counted once (a conditional UPDATE)."""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import flag_modified

from .. import db
from ..db import utcnow
from .. import evidence
from ..learning.drawing import Shown, option_order
from ..learning.grading import encode_response
from .models import PracticeRound, SpacedItem

#: Days until the 1st, 2nd and 3rd (and every later) re-quiz of a missed item.
INTERVALS = (2, 7, 21)
#: Right answers in a row that retire an item.
RIGHT_IN_A_ROW = 2
#: Items in one re-quiz: short enough to do between calls.
ROUND_SIZE = 5


@dataclass(frozen=True)
class Schedule:
    reviews: int
    streak: int
    due_on: date | None  # None: retired


def after_miss(day):
    """A wrong answer in a quiz starts the item over: back in INTERVALS[0] days."""
    return Schedule(0, 0, day + timedelta(days=INTERVALS[0]))


def after_review(schedule, right, day):
    """The schedule after a re-quiz answer on ``day``: each review waits longer than the
    last; a wrong answer breaks the streak, two right in a row retire the item."""
    reviews = schedule.reviews + 1
    streak = schedule.streak + 1 if right else 0
    if streak >= RIGHT_IN_A_ROW:
        return Schedule(reviews, streak, None)
    return Schedule(reviews, streak, day + timedelta(days=INTERVALS[min(reviews, len(INTERVALS) - 1)]))


def is_right(value):
    return value is not None and value >= 1 - 1e-9


def record_misses(user_id, results, now=None):
    """Schedule every graded item of a quiz submission answered wrong (``results`` are
    grading.ItemResult), in the submission's own transaction. One row per agent and item (an
    upsert on its unique key, so a concurrent miss or a repair never makes a second one); a
    row missed later than ``now`` is left as it is, so running this again changes nothing."""
    now = now or utcnow()
    schedule_misses([(user_id, r.item.id, r.item.topic, now) for r in results
                     if r.item.graded and not is_right(r.value)])


def schedule_misses(misses):
    """Schedule misses, (user id, item id, topic, missed at) each: one row
    per agent and item (an upsert on its unique key, so a concurrent miss or a repair never
    makes a second one); a row missed later than the miss is left as it is. Of two misses of
    one item here, the later counts, as it would one after the other."""
    rows = {}
    for user_id, item_id, topic, missed_at in sorted(misses, key=lambda miss: miss[3]):
        plan = after_miss(missed_at.date())
        rows[user_id, item_id] = {"user_id": user_id, "item_id": item_id, "topic": topic, "reviews": plan.reviews,
                                  "streak": plan.streak, "due_on": plan.due_on, "missed_at": missed_at,
                                  "retired_at": None}
    if rows:
        db.upsert(SpacedItem, list(rows.values()), keys=("user_id", "item_id"),
                  update=("reviews", "streak", "due_on", "missed_at", "retired_at"),
                  where=lambda refused: SpacedItem.__table__.c.missed_at <= refused.missed_at)


def retest_item(catalog, missed_id, user_id, reviews, withheld=frozenset(), last_shown=None):
    """The item that re-tests a missed one at its ``reviews``-th re-quiz: one of its siblings
    (graded, same topic and dimension, sharing a tag), the next one each time in an order of
    this agent's own, never the one shown last time (while another is left), skipping any in an
    open attempt or already in this round (``withheld``); the missed item itself when it has no
    sibling. None when nothing can be shown now."""
    missed = catalog.items.get(missed_id)
    if missed is None:
        return None
    tags = set(missed.tags)
    siblings = [item for item in catalog.items.values()
                if item.graded and item.id != missed.id and tags & set(item.tags)
                and (item.topic, item.dimension) == (missed.topic, missed.dimension)]
    if not siblings:
        return None if missed.id in withheld else missed
    siblings.sort(key=lambda item: hashlib.sha256(f"{user_id}:{missed.id}:{item.id}".encode()).digest())
    start = reviews % len(siblings)
    free = [item for item in siblings[start:] + siblings[:start] if item.id not in withheld]
    return next((item for item in free if item.id != last_shown), free[0] if free else None)


def round_views(catalog, user_id, rows, withheld=frozenset()):
    """(row, drawing.Shown) for each due row that can be re-tested now, no item twice in one
    round. Options come in an order of this row and review's own, the same on the page and
    when it is posted."""
    views = []
    for row in rows:
        item = retest_item(catalog, row.item_id, user_id, row.reviews,
                           withheld | {view.item.id for _row, view in views}, row.last_shown_id)
        if item is not None:
            rng = random.Random(f"{user_id}:{row.id}:{row.reviews}")
            views.append((row, Shown(item, len(views) + 1, option_order(item, rng))))
    return views


def due_items(user_id, today, limit=ROUND_SIZE):
    """The agent's items due by ``today``, longest waiting first."""
    return db.session.scalars(
        select(SpacedItem).where(SpacedItem.user_id == user_id, SpacedItem.due_on <= today)
        .order_by(SpacedItem.due_on, SpacedItem.id).limit(limit)
    ).all()


@dataclass(frozen=True)
class Outlook:
    """How an agent's re-quizzes stand on a day: the items due, and the earliest day one is
    scheduled (the day the longest-waiting due item fell due, or the next re-quiz)."""

    due: int
    earliest: date | None


def outlook(user_id, today):
    due, earliest = db.session.execute(
        select(func.count().filter(SpacedItem.due_on <= today), func.min(SpacedItem.due_on))
        .where(SpacedItem.user_id == user_id)
    ).one()
    return Outlook(due, earliest)


def next_due(user_id):
    """The date of the agent's next re-quiz, or None when nothing is scheduled."""
    return db.session.scalar(select(SpacedItem.due_on).where(SpacedItem.user_id == user_id,
                                                            SpacedItem.due_on.is_not(None))
                             .order_by(SpacedItem.due_on).limit(1))


class RoundOutOfDate(ValueError):
    """The re-quiz was already answered (another tab, a double click): nothing is counted twice."""


def answer_round(user_id, rows, rounds, grading, now=None):
    """Store a re-quiz: the items' new schedules, the round, and one evidence row per item,
    all in one transaction. ``rows`` maps each shown item's id -> its SpacedItem, ``rounds``
    SpacedItem id -> the review count the page showed; ``grading`` is grading.grade() of the
    posted answers."""
    now = now or utcnow()
    answers = []
    round_ = PracticeRound(user_id=user_id, taken_at=now, answers=answers)
    db.session.add(round_)
    db.session.flush()
    for result in grading.results:
        row = rows[result.item.id]
        right = is_right(result.value)
        plan = after_review(Schedule(row.reviews, row.streak, row.due_on), right, now.date())
        won = db.session.execute(
            update(SpacedItem).where(SpacedItem.id == row.id, SpacedItem.reviews == rounds[row.id],
                                     SpacedItem.due_on <= now.date())
            .values(reviews=plan.reviews, streak=plan.streak, due_on=plan.due_on, last_shown_id=result.item.id,
                    retired_at=now if plan.due_on is None else None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            db.session.rollback()
            raise RoundOutOfDate(row.item_id)
        item = result.item
        evidence.record(user_id, item.id, item.topic, item.dimension, result.value or 0.0, "practice", round_.id,
                        item.version, now)
        answers.append({"item": item.id, "missed": row.item_id, "value": result.value or 0.0,
                        "retired": plan.due_on is None,
                        "response": encode_response(result.response) if result.response is not None else None,
                        "due_on": plan.due_on.isoformat() if plan.due_on else None})
    flag_modified(round_, "answers")  # filled in place after the round got its id
    db.session.commit()
    return round_
