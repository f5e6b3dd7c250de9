"""The inputs of a quiz item's field (presenters.choice_inputs and scale_inputs): what a learner
ticks, and what the page posts back."""

import re
from types import SimpleNamespace

import pytest

from lms import i18n
from lms.learning.drawing import Shown
from lms.learning.presenters import choice_inputs, likert_labels, scale_inputs


def option(option_id, en, fa):
    return SimpleNamespace(id=option_id, text={"en": en, "fa": fa})


ITEM = SimpleNamespace(id="q<1>", type="single", options=(
    option("calm", "Stay calm & listen", "آرام بمانید"),
    option("rush", "Read the <b>script</b>", "متن را بخوانید"),
    option("wait", "Put them on hold", "منتظر بگذارید")))


@pytest.fixture
def in_language(app):
    """Call with a language: a request in it, for the rest of the test."""
    contexts = []

    def use(locale):
        contexts.append(app.test_request_context("/"))
        contexts[-1].push()
        i18n.activate(locale)
    yield use
    for context in reversed(contexts):
        i18n.deactivate()
        context.pop()


def inputs(html):
    return re.findall(r'<input type="(\w+)" name="([^"]+)" value="([^"]+)"( checked)?> <span>([^<]*)</span>',
                      str(html))


def test_options_come_in_the_order_shown_posted_by_position_with_their_text_escaped(in_language):
    in_language("en")
    html = choice_inputs(Shown(ITEM, 1, ("rush", "wait", "calm")), None)
    assert inputs(html) == [
        ("radio", "item-q&lt;1&gt;", "1", "", "Read the &lt;b&gt;script&lt;/b&gt;"),
        ("radio", "item-q&lt;1&gt;", "2", "", "Put them on hold"),
        ("radio", "item-q&lt;1&gt;", "3", "", "Stay calm &amp; listen")]
    assert "calm" not in re.sub(r"<span>.*?</span>", "", str(html))  # no option id in the markup


def test_the_saved_answer_is_ticked_and_several_answers_are_checkboxes(in_language):
    in_language("fa")
    single = inputs(choice_inputs(Shown(ITEM, 1, ("wait", "calm", "rush")), "calm"))
    assert [(value, ticked, text) for _kind, _name, value, ticked, text in single] == [
        ("1", "", "منتظر بگذارید"), ("2", " checked", "آرام بمانید"), ("3", "", "متن را بخوانید")]
    several = SimpleNamespace(id="q2", type="multiple", options=ITEM.options)
    ticked = inputs(choice_inputs(Shown(several, 2, ("calm", "rush", "wait")), frozenset({"calm", "wait"})))
    assert [(kind, value, mark) for kind, _name, value, mark, _text in ticked] == [
        ("checkbox", "1", " checked"), ("checkbox", "2", ""), ("checkbox", "3", " checked")]


def test_an_agreement_scale_has_five_points_in_the_pages_digits_with_the_rating_ticked(in_language):
    in_language("fa")
    points = inputs(scale_inputs("belief-1", likert_labels(), 4))
    assert [value for _kind, _name, value, _mark, _text in points] == ["1", "2", "3", "4", "5"]
    assert [mark for _kind, _name, _value, mark, _text in points] == ["", "", "", " checked", ""]
    assert points[0][4].startswith("۱ · ") and points[4][4].startswith("۵ · ")
    assert {name for _kind, name, _value, _mark, _text in points} == {"item-belief-1"}
