"""Spaced re-quizzes: the schedule as plain functions, then missed items coming back through
the pages until right twice in a row, each re-quiz counted once."""

import re
from datetime import date, timedelta

from sqlalchemy import select, update

from lms import db
from lms.accounts.models import User
from lms.coaching import spacing
from lms.coaching.models import PracticeRound, SpacedItem
from lms.db import utcnow
from lms.gaps.models import Evidence
from lms.learning import attempts

from .coaching_helpers import catalog, count
from .conftest import signed_in, token_for

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


def test_missed_items_come_back_until_right_twice_in_a_row(app, team):
    with app.app_context():
        sara = db.session.get(User, team.sara)
        quiz = catalog(app).quizzes["basics-quiz"]
        attempt = attempts.start_or_resume(sara.id, quiz)
        attempts.submit(sara.id, quiz, attempt.id, {"b-single": "b", "b-multi": frozenset({"a", "b"}), "b-tf": True,
                                                    "b-why": "a"})
        rows = {r.item_id: r.due_on for r in db.session.scalars(select(SpacedItem))}
        assert rows == {"b-single": utcnow().date() + timedelta(days=2), "b-tf": utcnow().date() + timedelta(days=2)}
    agent = signed_in(app, "sara")
    assert "Nothing is due for a re-quiz today." in agent.get("/practice").get_data(as_text=True)

    def make_due():
        with app.app_context():
            db.session.execute(update(SpacedItem).where(SpacedItem.due_on.is_not(None)).values(due_on=utcnow().date()))
            db.session.commit()

    def answer(values):
        page = agent.get("/practice").get_data(as_text=True)
        rounds = re.findall(r'name="round" value="([^"]+)"', page)
        return agent.post("/practice", data={"round": rounds, **values, "csrf_token": token_for(agent, "/practice")})

    make_due()
    first = answer({"item-b-single": "a", "item-b-tf": "true"})  # right, wrong
    assert first.status_code == 303
    result = agent.get(first.headers["Location"]).get_data(as_text=True)
    assert "1 of 2 right" in result and "SECRET-EXPLANATION-SINGLE" in result
    make_due()
    answer({"item-b-single": "a", "item-b-tf": "false"})  # right again: b-single retires
    with app.app_context():
        state = {r.item_id: (r.streak, r.due_on is None) for r in db.session.scalars(select(SpacedItem))}
        assert state == {"b-single": (2, True), "b-tf": (1, False)}
        assert count(Evidence, Evidence.source == "practice") == 4


def test_a_re_quiz_posted_twice_counts_once(app, team):
    with app.app_context():
        db.session.add(SpacedItem(user_id=team.sara, item_id="b-tf", topic="communication", due_on=utcnow().date()))
        db.session.commit()
    agent = signed_in(app, "sara")
    data = {"round": "0:b-tf", "item-b-tf": "false", "csrf_token": token_for(agent, "/practice")}
    assert agent.post("/practice", data=data).status_code == 303
    again = agent.post("/practice", data=data, follow_redirects=True)
    assert "already answered or has changed" in again.get_data(as_text=True)
    with app.app_context():
        assert count(PracticeRound) == 1 and count(Evidence) == 1
