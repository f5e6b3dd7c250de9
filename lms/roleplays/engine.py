"""The role-play rules as plain functions: where a reply leads, what a run scored, and
how the path taken compares with the best path. No database, no Flask."""

import random
from dataclasses import dataclass

from ..catalog.roleplays import ANCHOR_LEVELS
from ..i18n import lazy_gettext as _l

#: Coaches score a typed reply from 0 to this on each criterion of the rubric, by the anchors
#: the scenario describes for each level.
REVIEW_MAX = ANCHOR_LEVELS[-1]


class InvalidStep(ValueError):
    """A reply this node cannot take (unknown choice, typing where it is not allowed...)."""


@dataclass(frozen=True)
class Reply:
    choice_id: str | None = None
    typed: str | None = None
    persona: str | None = None


def shown_choices(node, seed):
    """A node's choices in the order one run shows them: shuffled by the run's seed, so the
    best reply sits nowhere in particular and the order is the same on every reload."""
    choices = list(node.choices)
    if seed is not None:
        random.Random(f"{seed}:{node.id}").shuffle(choices)
    return choices


def choice_at(node, seed, value):
    """The id of the choice a run showed at position ``value`` ("1", "2", ...), or None."""
    choices = shown_choices(node, seed)
    if not value or not value.isdigit() or not 1 <= int(value) <= len(choices):
        return None
    return choices[int(value) - 1].id


def next_node(roleplay, node_id, reply, personas):
    """The node a reply leads to. Raises :class:`InvalidStep` for a reply this node refuses."""
    node = roleplay.nodes.get(node_id)
    if node is None or node.is_end:
        raise InvalidStep(_l("the conversation has ended"))
    if node.persona_check and reply.persona not in personas:
        raise InvalidStep(_l("say which persona this customer is"))
    if not node.persona_check and reply.persona is not None:
        raise InvalidStep(_l("no persona question here"))
    if reply.choice_id is not None and reply.typed is not None:
        raise InvalidStep(_l("a listed reply and your own were both sent: keep one of them"))
    if reply.choice_id is None and reply.typed is None:
        raise InvalidStep(_l("pick one reply or type your own"))
    if reply.typed is not None:
        if node.open_reply_next is None:
            raise InvalidStep(_l("this moment has no typed reply"))
        if not reply.typed.strip() or len(reply.typed) > 2000:
            raise InvalidStep(_l("a typed reply needs 1 to 2000 characters"))
        return node.open_reply_next
    choice = node.choice(reply.choice_id)
    if choice is None:
        raise InvalidStep(_l("unknown reply"))
    return choice.next


def criterion_scores(roleplay, steps, reviews):
    """Mean score per criterion (0-1) over the chosen replies and the reviewed typed ones;
    None for a criterion nothing in the run touched. ``reviews`` maps step seq -> (scores, the
    top of the scale they were given on)."""
    totals = {c.id: [] for c in roleplay.criteria}
    for step in steps:
        if step.choice_id:
            for criterion, value in roleplay.nodes[step.node_id].choice(step.choice_id).scores.items():
                totals[criterion].append(value)
        elif step.seq in reviews:
            scores, top = reviews[step.seq]
            for criterion, points in scores.items():
                totals[criterion].append(points / top)
    return {key: (sum(values) / len(values) if values else None) for key, values in totals.items()}


def scores_valid(criterion_ids, scores):
    """Whether ``scores`` gives every criterion of the rubric, and only those, 0-REVIEW_MAX points."""
    return set(scores) == set(criterion_ids) and all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= REVIEW_MAX for v in scores.values())


def rubric_scores(criterion_ids, posted):
    """The points a rubric form (``score-<criterion id>`` fields) gave each criterion. Raises
    :class:`InvalidStep` unless every criterion has a score from 0 to REVIEW_MAX."""
    scores = {}
    for criterion_id in criterion_ids:
        value = str(posted.get(f"score-{criterion_id}", "")).strip()
        scores[criterion_id] = int(value) if value.isdigit() else -1
    if not scores_valid(criterion_ids, scores):
        raise InvalidStep(_l("score every criterion from 0 to %(max)s", max=REVIEW_MAX))
    return scores


def persona_score(steps):
    """(right, asked) for the persona questions of a run."""
    asked = [s for s in steps if s.persona_correct is not None]
    return sum(1 for s in asked if s.persona_correct), len(asked)


@dataclass(frozen=True)
class DebriefLine:
    node: object
    step: object
    chosen: object  # the Choice taken, or None for a typed reply
    best: object  # the best Choice at this node, or None off the best path


def debrief(roleplay, steps):
    """Each step with what was chosen and what the best reply there was."""
    return [DebriefLine(roleplay.nodes[s.node_id], s,
                        roleplay.nodes[s.node_id].choice(s.choice_id) if s.choice_id else None,
                        roleplay.nodes[s.node_id].best_choice) for s in steps]
