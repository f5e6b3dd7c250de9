"""Help requests, 1:1 conversations and notifications: asked, answered and logged through the
pages, refused across teams, read in both languages."""

from datetime import timedelta

from sqlalchemy import select

from lms import db
from lms.coaching import assigning
from lms.coaching.models import HelpRequest, Notification, OneOnOne
from lms.db import utcnow

from .coaching_helpers import catalog, count, users
from .conftest import shown, signed_in, token_for


def test_an_agent_asks_about_a_lesson_and_their_coach_answers(app, team):
    agent = signed_in(app, "sara")
    lesson_page = agent.get("/modules/basics/lessons/basics-01-hello").get_data(as_text=True)
    assert "/help/ask?lesson=basics-01-hello" in lesson_page
    assert "/modules/basics/lessons/basics-01-hello" in agent.get("/help/ask?lesson=basics-01-hello").get_data(
        as_text=True)  # the way back to the lesson
    empty = agent.post("/help/ask?lesson=basics-01-hello", data={"question": "  ",
                                                                 "csrf_token": token_for(agent, "/help")})
    assert empty.status_code == 400 and "Write your question." in empty.get_data(as_text=True)
    asked = agent.post("/help/ask?lesson=basics-01-hello", data={
        "question": "How long should I wait before I speak?", "csrf_token": token_for(agent, "/help")})
    assert asked.status_code == 303
    coach = signed_in(app, "maryam")
    dashboard = coach.get("/coaching").get_data(as_text=True)
    assert "Questions waiting for an answer" in dashboard and "Sara" in dashboard
    with app.app_context():
        request_id = db.session.scalar(select(HelpRequest.id))
        assert count(Notification, Notification.user_id == team.coach, Notification.kind == "help_asked") == 1
    # The coach of another team cannot answer it, and nothing changes.
    other = signed_in(app, "reza")
    refused = other.post(f"/coaching/help/{request_id}", data={"answer": "Mine", "csrf_token": token_for(other, "/coaching")})
    # ...and gets the answer of an id of nobody: whose question it is does not leak.
    assert refused.status_code == 404 and "There is no such question." in refused.get_data(as_text=True)
    assert other.get("/coaching/help/999999").status_code == 404
    answered = coach.post(f"/coaching/help/{request_id}", data={
        "answer": "Count to two in your head.", "csrf_token": token_for(coach, "/coaching")})
    assert answered.status_code == 303
    second = coach.post(f"/coaching/help/{request_id}", data={"answer": "Again", "csrf_token": token_for(coach, "/coaching")})
    assert "already been answered" in second.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(HelpRequest, request_id)
        assert (row.answer, row.answered_by_id) == ("Count to two in your head.", team.coach)
    mine = agent.get("/help").get_data(as_text=True)
    assert "Count to two in your head." in mine
    assert "Maryam answered your question" in shown(agent.get("/notifications"))


def test_a_coach_logs_a_one_on_one_and_bad_input_changes_nothing(app, team):
    coach = signed_in(app, "maryam")
    url = f"/coaching/people/{team.sara}"
    base = {"topic": "policies", "held_on": utcnow().date().isoformat(), "discussed": "Why the refund window exists",
            "next_step": "Play the refund role-play", "csrf_token": token_for(coach, url)}
    future = coach.post(url, data={**base, "held_on": (utcnow().date() + timedelta(days=2)).isoformat()})
    assert future.status_code == 400 and "is in the future" in future.get_data(as_text=True)
    blank = coach.post(url, data={**base, "next_step": ""})
    assert blank.status_code == 400 and "Write the next step you agreed on." in blank.get_data(as_text=True)
    assert coach.post(url, data=base).status_code == 303
    assert "Why the refund window exists" in coach.get(url).get_data(as_text=True)
    other = signed_in(app, "reza")
    assert other.post(url, data={**base, "csrf_token": token_for(other, "/coaching")}).status_code == 404
    with app.app_context():
        assert count(OneOnOne) == 1
    assert "Agreed next step: Play the refund role-play" in shown(signed_in(app, "sara").get("/notifications"))


def test_notifications_show_in_the_nav_and_are_read_once_opened(app, team):
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        assigning.assign(coach, [sara], assigning.find_target(catalog(app), "module:basics"),
                         utcnow().date() + timedelta(days=3))
        note_id = db.session.scalar(select(Notification.id))
    agent = signed_in(app, "sara")
    assert 'class="count">1<' in agent.get("/todo").get_data(as_text=True)
    assert signed_in(app, "omid").get(f"/notifications/{note_id}").status_code == 404
    opened = agent.get(f"/notifications/{note_id}")
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/modules/basics")
    assert 'class="count"' not in agent.get("/todo").get_data(as_text=True)


def test_persian_pages_of_coaching(app, team):
    with app.app_context():
        reza, parisa = users(team.other_coach, team.parisa)
        assigning.assign(reza, [parisa], assigning.find_target(catalog(app), "quiz:basics-refresher"),
                         utcnow().date() + timedelta(days=3), "قبل از جمعه")
    page = signed_in(app, "parisa").get("/todo").get_data(as_text=True)
    assert 'dir="rtl"' in page and "بازآموزی مبانی" in page and "قبل از جمعه" in page
