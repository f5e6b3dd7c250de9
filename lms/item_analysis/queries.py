"""The set-based reads behind the item statistics. One pass over the answers, read in order
off an index that holds every column it groups by (no sort, no look-up of the attempt), makes
a histogram per item, response, value, rest of the attempt and language; the reliability of
each quiz and topic x dimension comes from the per-attempt totals kept as each attempt is
graded (AttemptScore). Python then only combines a few thousand rows (statistics.py)."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from ..db import fetch_all
from ..learning.models import SUBMITTED, AttemptAnswer, AttemptScore, QuizAttempt
from .statistics import Reliability, alpha, item_statistics


@dataclass
class Analysis:
    items: dict  # item id -> ItemStats
    quizzes: list  # Reliability per quiz
    groups: list  # Reliability per topic/dimension
    attempts: int


def answer_histogram(session):
    """(item id, response, value, rest score, locale, count) over the graded answers (only a
    graded attempt's answers have a value)."""
    a = AttemptAnswer
    keys = (a.item_id, a.response, a.value, a.rest_score, a.locale)
    return fetch_all(session, select(*keys, func.count()).where(a.value.is_not(None)).group_by(*keys))


def quiz_totals(session):
    """Per quiz: (quiz id, graded attempts, their points summed and squared-and-summed, and
    their items' count, points and squared points summed)."""
    q, s = QuizAttempt, AttemptScore
    items = (select(s.attempt_id, func.sum(s.items).label("n"), func.sum(s.points_sq).label("squares"))
             .group_by(s.attempt_id).subquery())
    return fetch_all(session, select(
        q.quiz_id, func.count(), func.sum(q.points), func.sum(q.points * q.points), func.sum(items.c.n),
        func.sum(q.points), func.sum(items.c.squares))
        .join(items, items.c.attempt_id == q.id).where(q.status == SUBMITTED).group_by(q.quiz_id))


def group_totals(session):
    """Per topic x dimension: (topic, dimension, attempts with an item of it, the sums of their
    points in it and of those squared, of its items' count and of their squared points)."""
    s = AttemptScore
    return fetch_all(session, select(s.topic, s.dimension, func.count(), func.sum(s.points),
                                     func.sum(s.points * s.points), func.sum(s.items), func.sum(s.points),
                                     func.sum(s.points_sq)).group_by(s.topic, s.dimension))


def _floats(*sums):
    """PostgreSQL sums whole numbers as exact decimals."""
    return [float(value or 0) for value in sums]


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def read_sums(session):
    """Everything item analysis reads of the database, as JSON-ready lists of rows: the answer
    histogram, the quizzes' totals and the topic x dimension totals."""
    reads = {"histogram": answer_histogram, "quizzes": quiz_totals, "groups": group_totals}
    return {name: [[_plain(value) for value in row] for row in read(session)] for name, read in reads.items()}


def analysis_from(sums, catalog):
    """Every item's statistics and the reliability of each quiz and topic x dimension, from
    read_sums()'s rows."""
    items = item_statistics(catalog, sums["histogram"])
    quizzes = [Reliability(quiz_id, attempts, *alpha(*_floats(n, sum_s, sum_ss, attempts, sum_x, sum_xx)))
               for quiz_id, attempts, sum_x, sum_xx, n, sum_s, sum_ss in sorted(sums["quizzes"])]
    groups = [Reliability(f"{topic}/{dimension}", attempts,
                          *alpha(*_floats(n, sum_s, sum_ss, attempts, sum_x, sum_xx)))
              for topic, dimension, attempts, sum_x, sum_xx, n, sum_s, sum_ss in sorted(sums["groups"])]
    return Analysis(items, quizzes, groups, sum(r.attempts for r in quizzes))


def analyse(session, catalog):
    """The analysis of the answers in the database now."""
    return analysis_from(read_sums(session), catalog)
