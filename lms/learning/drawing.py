"""Drawing an attempt's items from a quiz's bank and shuffling their options: plain functions.

Each draw rule takes its count from its pool, items the learner has never seen first, then
those seen longest ago. A bank holds at least 2.5 times each rule's count (the content check
makes sure), so two attempts in a row share no item. Options are shuffled per attempt (unless
the item keeps a natural order); the page posts positions, never option ids, so neither the
order nor the markup can tell the key."""

import random
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """An item as one attempt shows it: its place, and its option ids in the order shown."""

    item: object
    position: int
    option_order: tuple | None  # None for items without options

    def options(self):
        """The item's options in the order shown."""
        by_id = {option.id: option for option in self.item.options}
        return [by_id[option_id] for option_id in self.option_order or ()]

    def option_at(self, value):
        """The option id shown at position ``value`` ("1", "2", ...), or None."""
        if not value.isdigit() or not 1 <= int(value) <= len(self.option_order or ()):
            return None
        return self.option_order[int(value) - 1]

    def position_of(self, option_id):
        """The position ("1", "2", ...) an option id was shown at."""
        return str(self.option_order.index(option_id) + 1)


def draw(quiz, last_seen, rng=None):
    """A new attempt's items as :class:`Shown`, graded items first, then the agreement items
    (asked apart: they are never marked). ``last_seen`` maps item id -> when the learner last
    saw it (items never seen are absent)."""
    # One generator per draw, seeded from the operating system: as unpredictable to a learner
    # as asking the system for every shuffle (which made ~180 system calls per start).
    rng = rng or random.Random(secrets.randbits(128))
    chosen = []
    for rule, pool in quiz.pools().items():
        never = [item for item in pool if item.id not in last_seen]
        seen = [item for item in pool if item.id in last_seen]
        rng.shuffle(never)
        rng.shuffle(seen)  # items last seen in the same attempt come back in no fixed order
        seen.sort(key=lambda item: last_seen[item.id])
        chosen += (never + seen)[: rule.count]
    graded = [item for item in chosen if item.graded]
    views = [item for item in chosen if not item.graded]
    rng.shuffle(graded)
    rng.shuffle(views)
    return [Shown(item, position, option_order(item, rng)) for position, item in enumerate(graded + views, 1)]


def option_order(item, rng):
    """The option ids of ``item`` in a fresh order (its own order when it keeps one)."""
    if not item.options:
        return None
    ids = [option.id for option in item.options]
    if item.shuffle:
        rng.shuffle(ids)
    return tuple(ids)
