"""The grading rules as plain functions (no database, no Flask)."""

import pytest
from werkzeug.datastructures import MultiDict

from lms.catalog import load_catalog
from lms.catalog.items import likert_value
from lms.learning.grading import InvalidSubmission, grade, read_responses, submission_digest

from .conftest import TEST_CONTENT


@pytest.fixture(scope="module")
def quiz():
    return load_catalog(TEST_CONTENT).quizzes["basics-quiz"]


ALL_RIGHT = MultiDict([("item-b-single", "a"), ("item-b-multi", "a"), ("item-b-multi", "b"),
                       ("item-b-tf", "false"), ("item-b-why", "a"), ("item-b-agree", "1"),
                       ("item-b-support", "4")])


def test_all_right_scores_full_marks(quiz):
    grading = grade(quiz, read_responses(quiz, ALL_RIGHT))
    assert (grading.points, grading.max_points, grading.score, grading.passed) == (4, 4, 1.0, True)


def test_agreement_items_feed_values_but_not_the_score(quiz):
    results = {r.item.id: r for r in grade(quiz, read_responses(quiz, ALL_RIGHT)).results}
    assert results["b-agree"].value == 1.0  # reversed: strongly disagreeing is the good answer
    assert results["b-support"].value == 0.75
    assert results["b-agree"].points == results["b-support"].points == 0


def test_multiple_choice_is_all_or_nothing(quiz):
    form = MultiDict([("item-b-multi", "a")])
    results = {r.item.id: r for r in grade(quiz, read_responses(quiz, form)).results}
    assert results["b-multi"].value == 0.0


def test_blank_graded_items_earn_nothing_and_blank_agreement_gives_no_evidence(quiz):
    grading = grade(quiz, read_responses(quiz, MultiDict()))
    values = {r.item.id: r.value for r in grading.results}
    assert grading.score == 0 and not grading.passed
    assert values["b-single"] == 0.0 and values["b-agree"] is None


def test_pass_mark_is_inclusive(quiz):
    form = MultiDict([("item-b-single", "a"), ("item-b-tf", "false"), ("item-b-why", "a")])
    grading = grade(quiz, read_responses(quiz, form))
    assert grading.score == 0.75 and grading.passed


@pytest.mark.parametrize("form", [
    MultiDict([("item-nope", "a")]),
    MultiDict([("item-b-single", "z")]),
    MultiDict([("item-b-single", "a"), ("item-b-single", "b")]),
    MultiDict([("item-b-tf", "maybe")]),
    MultiDict([("item-b-agree", "6")]),
    MultiDict([("item-b-multi", "a"), ("item-b-multi", "a")]),
])
def test_unknown_items_and_impossible_answers_are_refused(quiz, form):
    with pytest.raises(InvalidSubmission):
        read_responses(quiz, form)


def test_the_same_answers_give_the_same_digest(quiz):
    first = read_responses(quiz, ALL_RIGHT)
    reordered = MultiDict(list(reversed(list(ALL_RIGHT.items(multi=True)))))
    assert submission_digest(first) == submission_digest(read_responses(quiz, reordered))
    assert submission_digest(first) != submission_digest(read_responses(quiz, MultiDict()))


@pytest.mark.parametrize("choice,reversed_,value", [(1, False, 0.0), (3, False, 0.5), (5, False, 1.0),
                                                     (1, True, 1.0), (2, True, 0.75), (5, True, 0.0)])
def test_likert_values_follow_the_gap_model(choice, reversed_, value):
    assert likert_value(choice, reversed_) == value
