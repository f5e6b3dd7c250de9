"""Calibration of a self-reviewed call, and the evidence it gives, as plain functions.

How the two sets of scores become evidence (GAP_MODEL.md), and why:

- The coach's scores are measurement: one item per criterion, points / REVIEW_MAX, to the
  criterion's own dimension, exactly as a coach's rubric score on a typed role-play reply
  ("coach rubric score ... to the criterion's dimension"). The accuracy criteria are then
  knowledge; "explains the why" and "offers a way forward" are belief seen in what the agent did.
- The agent's own scores are their view of what good looks like, which is belief (do they
  accept why the standard matters), never knowledge: an agent's word is no proof of what they
  know. A rubric score out of the agent's own hand would let anyone close a gap by rating
  themselves 2 out of 2, so the agent's scores are never taken as they are. They give ONE
  belief item per call, whatever the number of criteria: how far the agent's view stays at or
  below the coach's, 1 - mean(max(0, agent - coach)) / REVIEW_MAX. Rating a weak call high
  (the agent sees nothing wrong with "that's our policy") lowers belief; rating oneself up
  can never raise anything; an agent who is harder on themselves than the coach is not
  short of belief, and the table shows the coach that.
- Nothing is evidence until the coach has scored: a self-review alone writes no row, so no
  gap moves by the agent's hand alone.
"""

from dataclasses import dataclass

from ..roleplays.engine import REVIEW_MAX

#: Evidence sources: the coach's scores of the call, and the agent's view checked against them.
COACH_SOURCE = "call_coach"
SELF_SOURCE = "call_self"
#: The item id suffix of the agent's one belief item per call.
SELF_ITEM = "self_view"


@dataclass(frozen=True)
class Line:
    """One criterion of the rubric: the agent's points, the coach's, and the difference."""

    criterion: dict  # {"id", "dimension", "name"}
    agent: int
    coach: int

    @property
    def difference(self):
        """Positive when the agent rated the call higher than the coach did."""
        return self.agent - self.coach


def lines(criteria, agent_scores, coach_scores):
    """The calibration table, criterion by criterion in the rubric's order."""
    return [Line(c, agent_scores[c["id"]], coach_scores[c["id"]]) for c in criteria]


def widest(table):
    """The lines where agent and coach disagree most (all of them when tied); [] when they agree."""
    most = max((abs(line.difference) for line in table), default=0)
    return [line for line in table if most and abs(line.difference) == most]


def self_view_value(table):
    """The agent's view as belief in [0, 1]: 1 less the mean of what they rated above the coach."""
    if not table:
        return None
    over = sum(max(0, line.difference) for line in table) / len(table)
    return 1 - over / REVIEW_MAX


@dataclass(frozen=True)
class Item:
    """One evidence row a calibrated call gives (see the module's docstring)."""

    item_suffix: str
    dimension: str
    value: float
    source: str


def evidence_items(criteria, agent_scores, coach_scores):
    """What a calibrated call adds to the gap model: the coach's score per criterion, to the
    criterion's dimension, and one belief item for the agent's own view."""
    items = [Item(c["id"], c["dimension"], coach_scores[c["id"]] / REVIEW_MAX, COACH_SOURCE) for c in criteria]
    items.append(Item(SELF_ITEM, "belief", self_view_value(lines(criteria, agent_scores, coach_scores)), SELF_SOURCE))
    return items
