"""Spaced re-quizzes: the schedule as plain functions, then missed items coming back through
the pages until right twice in a row, each re-quiz counted once."""

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from lms import db
from lms.coaching import spacing
from lms.coaching.models import PracticeRound, SpacedItem
from lms.db import utcnow
from lms.evidence import Evidence
from lms.learning import attempts

from lms.catalog import load_catalog

from .coaching_helpers import catalog, count
from .conftest import TEST_CONTENT, signed_in, token_for
from .quiz_helpers import answer_value

DAY = date(2026, 12, 1)


def test_a_missed_item_comes_back_after_2_then_7_then_21_days():
    plan = spacing.after_miss(DAY)
    assert plan.due_on == DAY + timedelta(days=2)
    wrong = spacing.after_review(plan, False, plan.due_on)
    assert wrong.due_on == plan.due_on + timedelta(days=7) and wrong.streak == 0
    right = spacing.after_review(wrong, True, wrong.due_on)
    assert right.due_on == wrong.due_on + timedelta(days=21) and right.streak == 1
    again = spacing.after_review(right, False, right.due_on)
    assert again.due_on == right.due_on + timedelta(days=21) and again.streak == 0


def test_two_right_answers_in_a_row_retire_an_item():
    plan = spacing.after_review(spacing.after_miss(DAY), True, DAY)
    assert plan.due_on is not None
    assert spacing.after_review(plan, True, DAY).due_on is None


def test_a_missed_idea_is_retested_by_a_sibling_a_new_one_each_time(app):
    cat = load_catalog(TEST_CONTENT)
    row = SpacedItem(id=1, user_id=7, item_id="b-single", reviews=0)
    picks = [spacing.retest_item(cat, "b-single", 7, reviews).id for reviews in range(3)]
    feelings = {"b-tf", "r-single", "r-tf2"}  # graded knowledge items of the same topic sharing its tag
    assert set(picks) == feelings and "b-single" not in picks
    assert spacing.retest_item(cat, "b-single", 7, 1, withheld=frozenset({picks[1]})).id == picks[2]
    assert spacing.retest_item(cat, "b-single", 7, 0, withheld=frozenset(feelings)) is None
    # Never twice in a row, even when this round's other items push it along.
    assert spacing.retest_item(cat, "b-single", 7, 1, withheld=frozenset({picks[1]}), last_shown=picks[2]).id \
        == picks[0]
    assert spacing.retest_item(cat, "b-why", 7, 0).id == "b-why"  # no tag: the missed item itself
    assert spacing.retest_item(cat, "b-why", 7, 0, withheld=frozenset({"b-why"})) is None
    first, again = (spacing.round_views(cat, 7, [row])[0][1] for _ in range(2))
    assert first == again  # the same item and option order on the page and when it is posted


def practice_sheet(app, agent, user_id, right=True):
    """What the agent's re-quiz page shows ({missed item: item shown}), answered by the
    positions shown."""
    page = agent.get("/practice").get_data(as_text=True)
    with app.app_context():
        views = spacing.round_views(catalog(app), user_id, spacing.due_items(user_id, utcnow().date()))
    answers = {f"item-{view.item.id}": answer_value(view.item, view.option_order, right) for _row, view in views}
    rounds = re.findall(r'name="round" value="([^"]+)"', page)
    return {row.item_id: view.item.id for row, view in views}, {"round": rounds, **answers,
                                                                 "csrf_token": token_for(agent, "/practice")}


def test_missed_items_come_back_until_right_twice_in_a_row(app, team):
    with app.app_context():
        cat = catalog(app)
        quiz = cat.quizzes["basics-quiz"]
        attempt = attempts.start_or_resume(team.sara, quiz, cat)
        attempts.submit(team.sara, quiz, cat, attempt.id, {})
        missed = {view.item.id for view in attempts.shown_items(attempt, cat) if view.item.graded}
        rows = {r.item_id: r.due_on for r in db.session.scalars(select(SpacedItem))}
        assert rows == dict.fromkeys(missed, utcnow().date() + timedelta(days=2))
    agent = signed_in(app, "sara")
    assert "Nothing is due for a re-quiz today." in agent.get("/practice").get_data(as_text=True)

    def make_due():
        with app.app_context():
            db.session.execute(update(SpacedItem).where(SpacedItem.due_on.is_not(None)).values(due_on=utcnow().date()))
            db.session.commit()

    make_due()
    shown_first, answers = practice_sheet(app, agent, team.sara)
    assert len(shown_first) == 3
    first = agent.post("/practice", data=answers)
    assert first.status_code == 303
    result = agent.get(first.headers["Location"]).get_data(as_text=True)
    assert "3 of 3 right" in result and "SECRET-EXPLANATION" in result
    make_due()
    shown_second, answers = practice_sheet(app, agent, team.sara)
    for missed_id, shown_id in shown_first.items():
        if cat.items[missed_id].tags:  # a tagged idea comes back in another question each time
            assert missed_id != shown_id != shown_second[missed_id] != missed_id
        else:
            assert missed_id == shown_id == shown_second[missed_id]
    second = agent.post("/practice", data=answers)  # right twice in a row: every idea retires
    assert second.status_code == 303, second.get_data(as_text=True)
    with app.app_context():
        state = {r.item_id: (r.streak, r.due_on is None) for r in db.session.scalars(select(SpacedItem))}
        assert state == dict.fromkeys(missed, (2, True))
        assert count(Evidence, Evidence.source == "practice") == 6


def test_a_re_quiz_posted_twice_counts_once(app, team):
    with app.app_context():
        db.session.add(SpacedItem(user_id=team.sara, item_id="b-why", topic="communication", due_on=utcnow().date()))
        db.session.commit()
    agent = signed_in(app, "sara")
    _shown, data = practice_sheet(app, agent, team.sara)
    assert agent.post("/practice", data=data).status_code == 303
    again = agent.post("/practice", data=data, follow_redirects=True)
    assert "already answered or has changed" in again.get_data(as_text=True)
    with app.app_context():
        assert count(PracticeRound) == 1 and count(Evidence) == 1
