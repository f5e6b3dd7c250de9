"""Item statistics as plain functions over sums and histograms read in a few set-based
queries (queries.py); Moodle's quiz statistics are the anchor.

For each graded item, over the submitted attempts that drew it:
- facility: the mean value (share right);
- discrimination: the point-biserial correlation of the item's value with the rest of the
  attempt (its other items' points over their maximum);
- discriminative efficiency: that covariance over the largest one the item's facility allows
  (the right answers given to the best rest-scores);
- each option's choice rate, and how often the key was the longest option shown (in the
  language the attempt was taken in); a typed short answer has neither;
- flags: facility above 0.95 or below 0.2, discrimination below 0.2, an option nobody picks.

Reliability (KR-20, and Cronbach's alpha for partial credit) of a quiz and of each topic x
dimension: alpha = k / (k - 1) x (1 - k x v_item / v_total), where k is the items per attempt,
v_item the variance of one drawn item's points and v_total that of the attempts' totals. Forms
are drawn at random from a bank, so each place on a form holds a random item and every place
has the variance of all the items' scores: for a fixed form this is KR-20 (KR-21 when the items
differ in difficulty), for random forms the reliability of the score a random form gives.
"""

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..catalog.lint import key_is_longest, longest
from .presenters import is_key

#: Below this many answers an item's figures are shown but nothing is flagged.
FEWEST_ANSWERS = 30
EASY, HARD, WEAK = 0.95, 0.2, 0.2


@dataclass
class ItemStats:
    item: object
    n: int = 0
    facility: float | None = None
    discrimination: float | None = None
    efficiency: float | None = None
    option_rates: dict = field(default_factory=dict)  # option id (or "true"/"false", "1".."5") -> share
    key_longest_share: float | None = None
    flags: tuple = ()


@dataclass
class Reliability:
    key: str  # a quiz id, or "topic/dimension"
    attempts: int
    items_per_attempt: float | None
    alpha: float | None


class _Sums:
    """Running sums of x (item value) and y (rest of the attempt) for one item."""

    def __init__(self):
        self.n = self.sx = self.sy = self.sxx = self.syy = self.sxy = 0.0
        self.ys = []  # (y, count), for the largest covariance the facility allows

    def add(self, x, y, count):
        self.n += count
        self.sx += x * count
        self.sxx += x * x * count
        if y is not None:
            self.sy += y * count
            self.syy += y * y * count
            self.sxy += x * y * count
            self.ys.append((y, count))

    def correlation(self):
        n = self.n
        vx, vy = self.sxx / n - (self.sx / n) ** 2, self.syy / n - (self.sy / n) ** 2
        if vx <= 1e-12 or vy <= 1e-12:
            return None
        return (self.sxy / n - self.sx / n * self.sy / n) / math.sqrt(vx * vy)

    def efficiency(self):
        """cov(x, y) over the covariance had the right answers gone to the best rest-scores."""
        n = self.n
        right = round(self.sx)
        top, left = 0.0, right
        for y, count in sorted(self.ys, reverse=True):
            take = min(count, left)
            top += y * take
            left -= take
            if not left:
                break
        best = top / n - (right / n) * (self.sy / n)
        if best <= 1e-12:
            return None
        return (self.sxy / n - self.sx / n * self.sy / n) / best


def item_statistics(catalog, histogram):
    """ItemStats per graded item from the answer histogram: rows of (item id, response JSON,
    value, rest of the attempt, locale, count)."""
    sums, responses, longest_key = defaultdict(_Sums), defaultdict(lambda: defaultdict(int)), defaultdict(int)
    tells = {}  # (item id, locale) -> whether its key is the longest option shown in that language
    for item_id, response, value, rest, locale, count in histogram:
        item = catalog.items.get(item_id)
        if item is None or not item.graded:
            continue
        sums[item_id].add(value, rest, count)
        responses[item_id][response] += count
        if (item_id, locale) not in tells:
            tells[item_id, locale] = _key_longest(item, locale)
        if tells[item_id, locale]:
            longest_key[item_id] += count
    found = {}
    for item_id, s in sums.items():
        item = catalog.items[item_id]
        stats = ItemStats(item, int(s.n), s.sx / s.n, s.correlation(), s.efficiency(),
                          option_rates(item, responses[item_id], s.n),
                          longest_key[item_id] / s.n if item.options else None)
        stats.flags = flags_of(stats)
        found[item_id] = stats
    return found


def _key_longest(item, locale):
    if item.type in ("single", "why"):
        return key_is_longest(item, locale or "en")
    if item.type == "multiple":
        index = longest([option.text[locale or "en"] for option in item.options])
        return index is not None and item.options[index].id in item.answer
    return False


def option_rates(item, responses, n):
    """The share of answers choosing each option (true/false for those items); none for an item
    with nothing to choose (a typed short answer has no distractors)."""
    if not item.options and item.type != "true_false":
        return {}
    chosen = defaultdict(int)
    for response, count in responses.items():
        value = json.loads(response) if response else None
        for choice in (value if isinstance(value, list) else [value]):
            if choice is not None:
                chosen[str(choice).lower()] += count
    keys = [option.id for option in item.options] if item.options else ["true", "false"]
    return {key: chosen[key] / n for key in keys}


def flags_of(stats):
    """What makes an item dubious, once it has enough answers."""
    if stats.n < FEWEST_ANSWERS:
        return ()
    found = []
    if stats.facility > EASY:
        found.append("too_easy")
    if stats.facility < HARD:
        found.append("too_hard")
    if stats.discrimination is None or stats.discrimination < WEAK:
        found.append("weak_discrimination")
    if any(rate == 0 and not is_key(stats.item, option) for option, rate in stats.option_rates.items()):
        found.append("unused_distractor")
    return tuple(found)


def alpha(n_answers, sum_s, sum_ss, n_attempts, sum_x, sum_xx):
    """Reliability of a group of answers (see the module's docstring); None when it cannot be
    told (fewer than two attempts, one item each, or no spread in the totals)."""
    if n_attempts < 2 or not n_answers:
        return None, None
    k = n_answers / n_attempts
    v_item = sum_ss / n_answers - (sum_s / n_answers) ** 2
    v_total = sum_xx / n_attempts - (sum_x / n_attempts) ** 2
    if k <= 1 + 1e-9 or v_total <= 1e-12:
        return k, None
    return k, k / (k - 1) * (1 - k * v_item / v_total)
