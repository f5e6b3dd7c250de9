"""The gap model of GAP_MODEL.md as plain functions: weights, scores, statuses, flags and
the recommended remedy. The SQL in queries.py computes the same sums set-wise."""

from dataclasses import dataclass, field
from typing import NamedTuple

from ..catalog import TOPICS

UNKNOWN, GAP, AT_RISK, OK = "unknown", "gap", "at_risk", "ok"
STATUSES = (GAP, AT_RISK, OK, UNKNOWN)


@dataclass(frozen=True)
class GapSettings:
    """Every parameter a site may change; reports print the ones they used."""

    threshold: float = 0.70
    half_life_days: float = 60.0
    min_evidence: int = 3
    at_risk_margin: float = 0.10
    review_window_days: float = 3.0
    followup_days: float = 7.0  # a coach acts on a failed quiz or refresher within this
    help_window_days: float = 2.0  # a help request is answered within this
    period_days: int = 30  # "coaching contact" periods, and the trend's comparison point


def weight(age_days, half_life_days):
    """0.5 ** (age / half-life): evidence loses half its weight every half-life."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def status_of(score, count, settings):
    if count < settings.min_evidence or score is None:
        return UNKNOWN
    if score < settings.threshold:
        return GAP
    if score < settings.threshold + settings.at_risk_margin:
        return AT_RISK
    return OK


class Cell(NamedTuple):
    """One agent x topic x dimension (a named tuple: reports build a great many of them)."""

    topic: str
    dimension: str
    score: float | None
    count: int
    status: str
    previous: float | None = None  # the score one period ago, for the trend

    @property
    def trend(self):
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


def cell_from_sums(topic, dimension, sum_wv, sum_w, count, settings):
    """A cell from one set of weighted sums (no trend)."""
    score = (sum_wv / sum_w) if count and sum_w else None
    return Cell(topic, dimension, score, count or 0, status_of(score, count or 0, settings))


NO_SIGNALS = (0, 0.0, 0.0, 0, 0.0, 0.0)
NOTHING_RECORDED = (0, None, 0.0, 0.0)


def combined(a, b, half_life):
    """Two sets of sums (n, day, wv, w), each with weights relative to its own day, as one set
    relative to the later day. A set alone is returned as it is: its mean needs no conversion."""
    if not b[0]:
        return a
    if not a[0]:
        return b
    day = max(a[1], b[1])
    fa, fb = 0.5 ** ((day - a[1]) / half_life), 0.5 ** ((day - b[1]) / half_life)
    return a[0] + b[0], day, a[2] * fa + b[2] * fb, a[3] * fa + b[3] * fb


def mean(sums):
    n, _day, wv, w = sums
    return wv / w if n and w else None


def cell_from_parts(topic, dimension, recorded, settled, settings, now_day=None, signals=NO_SIGNALS,
                    unsettled=NOTHING_RECORDED):
    """A cell from the folded sums (n, newest day, wv, w) of its recorded evidence, of the part
    of it settled one period ago and of what the stored sums have not settled yet, and from
    the coaching signals' sums (n, wv, w of all, then of those one period old, weighed as of
    ``now_day``)."""
    if signals is NO_SIGNALS and unsettled is NOTHING_RECORDED:  # most cells: nothing to convert
        total, then = recorded, settled
    else:
        half_life = settings.half_life_days
        total = combined(recorded, (signals[0], now_day, *signals[1:3]), half_life)
        then = combined(combined(settled, unsettled, half_life), (signals[3], now_day, *signals[4:]), half_life)
    score, count = mean(total), total[0]
    return Cell(topic, dimension, score, count, status_of(score, count, settings), mean(then))


def score_evidence(values_and_ages, settings):
    """Recency-weighted mean of (value, age in days) pairs: the reference the SQL must match."""
    pairs = [(value, weight(age, settings.half_life_days)) for value, age in values_and_ages]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if pairs and total else None


@dataclass
class Grid:
    """An agent's 5 x 3 grid; missing cells are unknown with no evidence."""

    cells: dict = field(default_factory=dict)  # (topic, dimension) -> Cell
    behaviour_belief: dict = field(default_factory=dict)  # topic -> Cell from role-play behaviour only

    def cell(self, topic, dimension, settings=None):
        return self.cells.get((topic, dimension)) or Cell(topic, dimension, None, 0, UNKNOWN)

    def support_gap_topics(self):
        return [t for t in TOPICS if self.cell(t, "support").status == GAP]

    def gaps(self):
        return [c for c in self.cells.values() if c.status == GAP]

    def knowing_doing(self):
        """Topics where knowledge is ok but role-play behaviour shows a belief gap."""
        return [t for t in TOPICS if self.cell(t, "knowledge").status == OK
                and self.behaviour_belief.get(t) is not None and self.behaviour_belief[t].status == GAP]


def share_with_gap(grids, topic, dimension):
    """The share of agents (with enough evidence or not) whose cell is a gap."""
    if not grids:
        return 0.0
    return sum(1 for g in grids if g.cell(topic, dimension).status == GAP) / len(grids)


def mean_score(cells):
    known = [c.score for c in cells if c.score is not None and c.status != UNKNOWN]
    return sum(known) / len(known) if known else None
