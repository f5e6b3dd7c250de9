"""No key is in anything served to an agent while an attempt is open: a walk through every page
the agent can reach, after earlier attempts passed and failed and a spaced re-quiz was taken."""

import re
from datetime import timedelta
from html import escape
from urllib.parse import urlsplit

from sqlalchemy import update

from lms import db
from lms.coaching.models import PracticeRound, SpacedItem
from lms.db import utcnow
from lms.learning.grading import encode_response
from lms.learning.models import AttemptAnswer, QuizAttempt

from .conftest import sign_in
from .quiz_helpers import age_attempts, catalog, drawn, read_lessons, sheet, start, submit

SKIP = ("/sign-out", "/lms-static/")


def walk(client, *start_urls, limit=200):
    """Every page reachable by links from ``start_urls``: {path: html}."""
    seen, queue = {}, list(start_urls)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        seen[url] = html = response.get_data(as_text=True)
        for link in re.findall(r'href="([^"#]+)', html):
            parts = urlsplit(link)
            if not parts.netloc and link.startswith("/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_while_an_attempt_is_open_no_page_the_agent_can_reach_shows_its_keys(app, make_user):
    user_id = make_user("sara", team="Alborz")
    make_user("maryam", role="coach", coach_of=("Alborz",))
    client = app.test_client()
    sign_in(client, "sara")
    read_lessons(client, "basics")
    passed = start(client)  # a pass: its page shows every key and explanation ...
    submit(client, passed, sheet(app, passed))
    failed = start(client, "basics-refresher")  # ... a failed refresher, whose misses come back
    submit(client, failed, {}, quiz="basics-refresher")
    with app.app_context():
        db.session.execute(update(SpacedItem).values(due_on=utcnow().date()))
        db.session.commit()
    round_page = client.get("/practice").get_data(as_text=True)
    rounds = re.findall(r'name="round" value="([^"]+)"', round_page)
    answered = client.post("/practice", data={"round": rounds, "csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', round_page).group(1)})
    round_url = urlsplit(answered.headers["Location"]).path
    age_attempts(app, user_id, timedelta(hours=3))
    open_id = start(client)  # a new attempt at the same quiz

    items = catalog(app).items
    shown = [items[item_id] for item_id, _ in drawn(app, open_id)]
    secrets = {item.id: [item.explanation["en"].split("</p>")[0].removeprefix("<p>")] + (
        [o.text["en"] for o in item.options if o.id == item.answer or o.id in (
            item.answer if isinstance(item.answer, frozenset) else ())] if item.graded else [])
        for item in shown}
    player = f"/quizzes/basics-quiz/attempts/{open_id}"  # reached by a form ("Resume the attempt")
    pages = walk(client, "/", player, "/practice", round_url)  # the round's result, by its redirect
    assert player in pages and f"/quizzes/basics-quiz/attempts/{passed}" in pages and "/practice" in pages
    assert any(path.startswith("/practice/rounds/") for path in pages)
    assert len(pages) > 15
    for path, html in pages.items():
        for item_id, texts in secrets.items():
            explanation, *keys = texts
            assert explanation not in html, (path, item_id)
            for key in map(escape, keys):
                assert f"Right answer:</strong> {key}" not in html and f"Your answer:</strong> {key}" not in html
                if path != player:  # the player shows every option, the key among them, unmarked
                    assert f"<span>{key}</span>" not in html, (path, item_id, key)
    assert "Right answer" not in pages[f"/quizzes/basics-quiz/attempts/{passed}"]


def with_an_open_attempt(app, make_user):
    """Sara, signed in, with an attempt at the basics quiz open: (user id, client, attempt id,
    an item with options it asks)."""
    user_id = make_user("sara", team="Alborz")
    client = app.test_client()
    sign_in(client, "sara")
    open_id = start(client)
    return user_id, client, open_id, next(item_id for item_id, order in drawn(app, open_id) if order)


def test_a_re_quiz_result_withholds_the_keys_of_items_in_an_open_attempt(app, make_user):
    user_id, client, open_id, in_attempt = with_an_open_attempt(app, make_user)
    elsewhere = next(i.id for i in catalog(app).quizzes["basics-quiz"].items
                     if i.graded and i.options and i.id not in dict(drawn(app, open_id)))
    with app.app_context():
        round_ = PracticeRound(user_id=user_id, answers=[
            {"item": item_id, "missed": item_id, "value": 0.0, "retired": False, "response": None, "due_on": None}
            for item_id in (in_attempt, elsewhere)])
        db.session.add(round_)
        db.session.commit()
        round_id = round_.id
    page = client.get(f"/practice/rounds/{round_id}").get_data(as_text=True)
    items = catalog(app).items
    assert page.count("Right answer:") == 1  # the other item's, not the one in the open attempt
    assert items[elsewhere].explanation["en"][3:30] in page
    assert items[in_attempt].explanation["en"][3:30] not in page


def test_an_earlier_result_hides_even_a_right_answer_to_a_question_an_open_attempt_asks(app, make_user):
    user_id, client, _open_id, asked = with_an_open_attempt(app, make_user)
    key = catalog(app).items[asked].answer
    with app.app_context():  # a refresher, sharing the quiz's bank, once drew it and got it right
        earlier = QuizAttempt(user_id=user_id, quiz_id="basics-refresher", quiz_version=catalog(app).quizzes[
            "basics-refresher"].version, topic="communication", status="submitted", closed_by="learner",
            points=1, max_points=1, score=1.0, passed=True, closed_at=utcnow())
        options = [o.id for o in catalog(app).items[asked].options]
        earlier.answers = [AttemptAnswer(item_id=asked, position=1, option_order=options, value=1.0,
                                         points=1.0, response=encode_response(key))]
        db.session.add(earlier)
        db.session.commit()
        earlier_id = earlier.id
    page = client.get(f"/quizzes/basics-refresher/attempts/{earlier_id}").get_data(as_text=True)
    assert "hidden while an attempt you have open asks it" in page
    assert "Your answer:" not in page and "Right answer:" not in page and "SECRET-EXPLANATION" not in page
