"""Reading and grading a submission: plain functions, no database, no Flask.

A form names items ``item-<id>``; options are posted by the position they were shown at
(drawing.Shown), which is turned back into option ids here."""

import hashlib
import json
from dataclasses import dataclass

from ..catalog.items import InvalidResponse

FIELD_PREFIX = "item-"


class InvalidSubmission(ValueError):
    """A post that does not fit the attempt: unknown items or impossible answers; ``too_long``
    when a typed answer is longer than its item takes (the learner's to fix)."""

    def __init__(self, message, too_long=False):
        super().__init__(message)
        self.too_long = too_long


@dataclass(frozen=True)
class ItemResult:
    item: object
    response: object  # None when left blank
    value: float | None  # evidence value in [0, 1]; None for an unanswered agreement item
    points: float  # points awarded (graded items only)


@dataclass(frozen=True)
class Grading:
    results: tuple
    points: float
    max_points: float
    score: float
    passed: bool


def read_responses(shown, form, partial=False):
    """Map item id -> response from a posted form (a MultiDict-like ``getlist``) for the
    items of ``shown`` (drawing.Shown).

    Fields named ``item-<id>`` must name shown items; any other ``item-`` field, or an answer
    an item cannot take, raises :class:`InvalidSubmission` before anything is stored. With
    ``partial``, only the items the form names are read (an autosave): by an answer, or in
    ``on_page`` (an item whose answer was cleared posts nothing of its own)."""
    by_id = {s.item.id: s for s in shown}
    posted = {key[len(FIELD_PREFIX):] for key in form.keys() if key.startswith(FIELD_PREFIX)}
    if partial:
        posted |= set(form.getlist("on_page")) & set(by_id)
    unknown = sorted(posted - set(by_id))
    if unknown:
        raise InvalidSubmission(f"unknown items: {', '.join(unknown)}")
    responses = {}
    for item_id, view in by_id.items():
        if partial and item_id not in posted:
            continue
        values = form.getlist(FIELD_PREFIX + item_id)
        if view.option_order is not None:
            values = [view.option_at(value) for value in values]
            if None in values:
                raise InvalidSubmission(f"impossible answer for item {item_id}")
        try:
            responses[item_id] = view.item.kind.parse(view.item, values)
        except InvalidResponse as error:
            raise InvalidSubmission(f"impossible answer for item {item_id}",
                                    too_long=error.too_long) from None
    return responses


def encode_response(response):
    """JSON form of a response, for storage and for the submission digest."""
    if isinstance(response, frozenset):
        response = sorted(response)
    return json.dumps(response)


def decode_response(item, stored):
    """A stored response back as the item's kind reads it (None when left blank)."""
    if stored is None:
        return None
    value = json.loads(stored)
    return frozenset(value) if item.type == "multiple" and value is not None else value


def submission_digest(responses):
    """Same answers, same digest: how a repeated post is recognised as the same submission."""
    canonical = json.dumps({k: encode_response(v) for k, v in sorted(responses.items())})
    return hashlib.sha256(canonical.encode()).hexdigest()


def grade(items, responses, pass_mark):
    """Score a submission of ``items``. Blank graded items earn nothing; agreement items are
    never marked, never count toward the pass mark, and only feed the gap model."""
    results = []
    for item in items:
        response = responses.get(item.id)
        if item.graded:
            value = item.kind.value(item, response) if response is not None else 0.0
            results.append(ItemResult(item, response, value, value * item.points))
        else:
            value = item.kind.value(item, response) if response is not None else None
            results.append(ItemResult(item, response, value, 0.0))
    max_points = sum(item.points for item in items if item.graded)
    points = sum(r.points for r in results)
    score = points / max_points if max_points else 0.0
    return Grading(tuple(results), points, max_points, score, score >= pass_mark - 1e-9)


def points_by_group(grading):
    """(topic, dimension) -> (items, points, points squared, max points) of a grading's marked
    items: the score broken down as results show it and as item analysis sums it."""
    found = {}
    for result in grading.results:
        item = result.item
        if item.graded:
            items, points, squares, top = found.get((item.topic, item.dimension), (0, 0.0, 0.0, 0.0))
            found[item.topic, item.dimension] = (items + 1, points + result.points, squares + result.points ** 2,
                                                 top + item.points)
    return found


def rest_score(grading, result):
    """The other marked items' share of their maximum, or None when the attempt had no other."""
    rest_max = grading.max_points - result.item.points
    return (grading.points - result.points) / rest_max if rest_max > 1e-9 else None
