"""Reading and grading a quiz submission: plain functions, no database, no Flask."""

import hashlib
import json
from dataclasses import dataclass

from ..catalog.items import InvalidResponse

FIELD_PREFIX = "item-"


class InvalidSubmission(ValueError):
    """A post that does not fit the quiz: unknown items or impossible answers."""


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


def read_responses(quiz, form):
    """Map item id -> response from a posted form (a MultiDict-like ``getlist``).

    Fields named ``item-<id>`` must name items of this quiz; any other ``item-`` field, or
    an answer an item cannot take, raises :class:`InvalidSubmission` before anything is stored.
    """
    items = {item.id: item for item in quiz.items}
    posted = {key[len(FIELD_PREFIX):] for key in form.keys() if key.startswith(FIELD_PREFIX)}
    unknown = sorted(posted - set(items))
    if unknown:
        raise InvalidSubmission(f"unknown items: {', '.join(unknown)}")
    responses = {}
    for item_id, item in items.items():
        try:
            responses[item_id] = item.kind.parse(item, form.getlist(FIELD_PREFIX + item_id))
        except InvalidResponse:
            raise InvalidSubmission(f"impossible answer for item {item_id}") from None
    return responses


def encode_response(response):
    """JSON form of a response, for storage and for the submission digest."""
    if isinstance(response, frozenset):
        response = sorted(response)
    return json.dumps(response)


def submission_digest(responses):
    """Same answers, same digest: how a repeated post is recognised as the same submission."""
    canonical = json.dumps({k: encode_response(v) for k, v in sorted(responses.items())})
    return hashlib.sha256(canonical.encode()).hexdigest()


def grade(quiz, responses):
    """Score a submission. Blank graded items earn nothing; agreement items are never
    right or wrong and only feed the gap model."""
    results = []
    for item in quiz.items:
        response = responses.get(item.id)
        if item.graded:
            value = item.kind.value(item, response) if response is not None else 0.0
            results.append(ItemResult(item, response, value, value * item.points))
        else:
            value = item.kind.value(item, response) if response is not None else None
            results.append(ItemResult(item, response, value, 0.0))
    max_points = quiz.max_points
    points = sum(r.points for r in results)
    score = points / max_points if max_points else 0.0
    return Grading(tuple(results), points, max_points, score, score >= quiz.pass_mark - 1e-9)
