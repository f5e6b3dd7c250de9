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


def cell_from_sums(topic, dimension, sum_wv, sum_w, count, settings, previous=None):
    """A cell from one set of weighted sums."""
    score = (sum_wv / sum_w) if count and sum_w else None
    return Cell(topic, dimension, score, count or 0, status_of(score, count or 0, settings), previous)


NO_SIGNALS = (0, 0.0, 0.0, 0, 0.0, 0.0)


def cell_from_parts(topic, dimension, recorded, recent, signals, now_day, settings):
    """A cell from its recorded evidence's folded sums (n, newest day, wv, w), the last period's
    part of them (n, wv, w weighed as of now) and the coaching signals' sums (n, wv, w, then the
    same for the last period, weighed as of now). The score one period ago is what is left
    once the last period's parts are taken off."""
    half_life = settings.half_life_days
    n, day, wv, w = recorded
    if signals is NO_SIGNALS:  # most cells: no conversion at all
        score = wv / w if n and w else None
        pn, pwv, pw = less(n, wv, w, recent, 2.0 ** ((now_day - day) / half_life)) if recent[0] else (n, wv, w)
        previous = pwv / pw if pn and pw else None
        return Cell(topic, dimension, score, n, status_of(score, n, settings), previous)
    now_signals, recent_signals = signals[:3], signals[3:]
    score = mean_of(n, day, wv, w, now_signals, now_day, half_life)
    # The last period's evidence is newer than the rest: brought to the frame of the newest
    # day, its weights grow by at most one period's worth.
    pn, pwv, pw = less(n, wv, w, recent, 2.0 ** ((now_day - day) / half_life) if recent[0] else 1.0)
    then_signals = less(*now_signals, recent_signals)
    previous = mean_of(pn, day, pwv, pw, then_signals, now_day, half_life) if pn or then_signals[0] else None
    count = n + now_signals[0]
    return Cell(topic, dimension, score, count, status_of(score, count, settings), previous)


#: What a subtraction of sums leaves below this share of the total is rounding, not evidence.
NOISE = 1e-10


def mean_of(n, day, wv, w, signals, now_day, half_life):
    """The mean of recorded sums weighed relative to ``day`` (their newest evidence) together
    with signal sums (n, wv, w) weighed relative to now. Without signals nothing is converted:
    a mean of one set of sums is the same whatever day its weights are relative to."""
    gn, gwv, gw = signals
    if not gn:
        return wv / w if n and w else None
    if not n:
        return gwv / gw if gw else None
    faded = 0.5 ** (max(now_day - day, 0.0) / half_life)
    total = w * faded + gw
    return (wv * faded + gwv) / total if total else None


def less(n, wv, w, part, scale=1.0):
    """Sums less a part of them (n, wv, w) times ``scale``; a remainder that is only rounding is 0."""
    pn, pwv, pw = part
    if not pn:
        return n, wv, w
    rest = w - pw * scale
    if rest <= NOISE * w:
        return n - pn, 0.0, 0.0
    return n - pn, wv - pwv * scale, rest


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
