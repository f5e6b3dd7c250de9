"""Coaching: spaced re-quiz rules as plain functions; assignments, help requests, 1:1s and
notifications through their services and pages, with the bad input the issue names; the
support signals they feed; and daily digests sent to a real local SMTP server."""

import re
import socket
from datetime import date, timedelta
from email import message_from_bytes
from email.policy import default as email_policy
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from lms import db
from lms.accounts.models import User
from lms.coaching import assigning, help_requests, one_on_ones, spacing
from lms.coaching.models import Assignment, HelpRequest, Notification, OneOnOne, PracticeRound, SpacedItem
from lms.coaching.oversight import coaches_late
from lms.coaching.todo import ASSIGNMENT, ONBOARDING, PRACTICE, build
from lms.db import utcnow
from lms.gaps.models import Evidence
from lms.gaps.queries import cell_evidence
from lms.gaps.scoring import GapSettings
from lms.learning import attempts
from lms.learning.models import QuizAttempt
from lms.learning.progress import learner_state, path_progress

from .conftest import signed_in, token_for

DAY = date(2026, 12, 1)


# -- spaced re-quizzes, as plain functions --------------------------------------------------

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


# -- fixtures -------------------------------------------------------------------------------

@pytest.fixture
def team(make_user):
    """A coach of Alborz with two agents, a coach of Zagros with one, and a manager."""
    return SimpleNamespace(
        coach=make_user("maryam", role="coach", coach_of=("Alborz",)),
        other_coach=make_user("reza", role="coach", coach_of=("Zagros",)),
        sara=make_user("sara", team="Alborz"),
        omid=make_user("omid", team="Alborz"),
        parisa=make_user("parisa", team="Zagros", locale="fa"),
        manager=make_user("manager", role="manager"),
    )


def users(*ids):
    return [db.session.get(User, i) for i in ids]


def catalog(app):
    return app.extensions["lms"].catalog


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# -- assignments ----------------------------------------------------------------------------

def test_a_coach_assigns_to_a_whole_team_with_one_form(app, team):
    coach = signed_in(app, "maryam")
    page = coach.get("/coaching/assign").get_data(as_text=True)
    assert "Basics refresher" in page and "Sara" in page and "Parisa" not in page
    with app.app_context():
        team_id = db.session.get(User, team.sara).team_id
    response = coach.post("/coaching/assign", data={
        "target": "quiz:basics-refresher", "teams": str(team_id), "due_on": (utcnow().date() + timedelta(days=5)).isoformat(),
        "note": "Before Friday's calls", "csrf_token": token_for(coach, "/coaching/assign")})
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalars(select(Assignment).order_by(Assignment.user_id)).all()
        assert [(a.user_id, a.target_id, a.note) for a in made] == [
            (team.sara, "basics-refresher", "Before Friday's calls"), (team.omid, "basics-refresher", "Before Friday's calls")]
        assert count(Notification, Notification.kind == "assigned") == 2
    todo = signed_in(app, "sara").get("/todo").get_data(as_text=True)
    assert "Basics refresher" in todo and "Before Friday&#39;s calls" in todo and "from Maryam" in todo


@pytest.mark.parametrize("form,message", [
    ({"agents": "parisa"}, "Not in the teams you coach: Parisa. Nothing was assigned."),
    ({"agents": "sara", "due_on": "2020-01-01"}, "The due date Jan 1, 2020 is in the past."),
    ({"agents": "sara", "target": "quiz:nope"}, "There is no such module, quiz or role-play."),
    ({}, "Choose at least one agent or team."),
    ({"agents": "sara", "due_on": "someday"}, "Not a valid date value."),
])
def test_bad_assignments_re_render_with_the_reason_and_write_nothing(app, team, form, message):
    coach = signed_in(app, "maryam")
    data = {"target": "quiz:basics-refresher", "due_on": (utcnow().date() + timedelta(days=3)).isoformat(),
            "csrf_token": token_for(coach, "/coaching/assign")}
    data.update({k: v for k, v in form.items() if k != "agents"})
    if "agents" in form:
        data["agents"] = str(getattr(team, form["agents"]))
    response = coach.post("/coaching/assign", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Assignment) == 0 and count(Notification) == 0


def test_the_same_open_assignment_twice_is_refused_for_everyone(app, team):
    with app.app_context():
        coach, sara, omid = users(team.coach, team.sara, team.omid)
        refresher = assigning.find_target(catalog(app), "quiz:basics-refresher")
        due = utcnow().date() + timedelta(days=2)
        assigning.assign(coach, [sara], refresher, due)
        with pytest.raises(assigning.AssignmentRefused, match="Already assigned and not yet done: Sara"):
            assigning.assign(coach, [omid, sara], refresher, due)
        assert count(Assignment) == 1  # Omid did not get it either: nothing half-written


def test_doing_the_work_completes_the_assignment(app, team):
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        cat = catalog(app)
        for key in ("quiz:basics-refresher", "module:basics", "roleplay:rp-late"):
            assigning.assign(coach, [sara], assigning.find_target(cat, key), utcnow().date())
        refresher = cat.quizzes["basics-refresher"]
        attempt = attempts.start_or_resume(sara.id, refresher)
        attempts.submit(sara.id, refresher, attempt.id, {"r-tf": True, "r-single": "b"})
        done = dict(db.session.execute(select(Assignment.target_id, Assignment.completed_at)).all())
        # A refresher is done once taken; a module only when its quiz is passed.
        assert done["basics-refresher"] is not None and done["basics"] is None and done["rp-late"] is None
        quiz = cat.quizzes["basics-quiz"]
        attempt = attempts.start_or_resume(sara.id, quiz)
        attempts.submit(sara.id, quiz, attempt.id, {"b-single": "a", "b-multi": frozenset({"a", "b"}), "b-tf": False,
                                                    "b-why": "a"})
        db.session.expire_all()
        assert db.session.scalar(select(Assignment.completed_at).where(Assignment.target_id == "basics")) is not None


def test_a_finished_roleplay_completes_its_assignment(app, team):
    from lms.roleplays import services
    from lms.roleplays.engine import Reply

    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        cat = catalog(app)
        assigning.assign(coach, [sara], assigning.find_target(cat, "roleplay:rp-late"), utcnow().date())
        rp = cat.roleplays["rp-late"]
        run = services.start_or_resume(sara.id, rp)
        run = services.take_step(sara.id, rp, run.id, 0, Reply("policy", persona="upset"), cat.personas).run
        assert run.status == "finished"
        assert db.session.scalar(select(Assignment.completed_at)) is not None


def test_one_click_on_a_gap_remedy_assigns_it(app, team):
    coach = signed_in(app, "maryam")
    page = coach.get(f"/gaps/people/{team.sara}/communication/knowledge").get_data(as_text=True)
    assert "Assign it now" in page
    token = token_for(coach, f"/gaps/people/{team.sara}/communication/knowledge")
    data = {"target": "quiz:basics-refresher", "next": f"/gaps/people/{team.sara}/communication/knowledge",
            "csrf_token": token}
    first = coach.post(f"/coaching/people/{team.sara}/accept", data=data)
    assert first.status_code == 303 and first.headers["Location"].endswith("/communication/knowledge")
    again = coach.post(f"/coaching/people/{team.sara}/accept", data=data, follow_redirects=True)
    assert "Already assigned and not yet done: Sara" in again.get_data(as_text=True)
    with app.app_context():
        assert count(Assignment) == 1
        assert db.session.scalar(select(Assignment.due_on)) == utcnow().date() + timedelta(days=7)
    # Someone else's agent: as if they did not exist.
    outsider = signed_in(app, "reza")
    assert outsider.post(f"/coaching/people/{team.sara}/accept",
                         data={**data, "csrf_token": token_for(outsider, "/coaching")}).status_code == 404
    assert "Assign it now" not in signed_in(app, "sara").get(
        f"/gaps/people/{team.sara}/communication/knowledge").get_data(as_text=True)


# -- the agent's to-do list -----------------------------------------------------------------

def test_the_to_do_list_orders_by_due_date_marks_overdue_and_shows_each_thing_once(app, team):
    with app.app_context():
        cat = catalog(app)
        coach, sara = users(team.coach, team.sara)
        sara.hired_on = DAY - timedelta(days=10)
        progress = path_progress(cat, learner_state(sara.id))
        assigned = [SimpleNamespace(kind="module", target_id="basics", due_on=DAY + timedelta(days=3), note="",
                                    assigned_by=coach),
                    SimpleNamespace(kind="quiz", target_id="basics-refresher", due_on=DAY - timedelta(days=1), note="x",
                                    assigned_by=coach)]
        todos = build(cat, progress, sara.hired_on, assigned, 3, DAY)
        assert [(t.kind, t.title) for t in todos] == [
            (ONBOARDING, "Advanced"), (ASSIGNMENT, "Basics refresher"), (PRACTICE, ""), (ASSIGNMENT, "Basics")]
        assert [t.overdue(DAY) for t in todos] == [True, True, False, False]
        assert todos[0].locked  # advanced needs basics first


# -- spaced re-quizzes through the pages ----------------------------------------------------

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


# -- help requests --------------------------------------------------------------------------

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
    assert refused.status_code == 403 and "outside your teams" in refused.get_data(as_text=True)
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
    assert "Maryam answered your question" in agent.get("/notifications").get_data(as_text=True)


# -- 1:1 conversations ----------------------------------------------------------------------

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
    assert "Agreed next step: Play the refund role-play" in signed_in(app, "sara").get("/notifications").get_data(
        as_text=True)


# -- support signals and oversight ----------------------------------------------------------

def _fail_quiz(app, user_id, when):
    quiz = catalog(app).quizzes["basics-quiz"]
    attempt = attempts.start_or_resume(user_id, quiz, now=when)
    return attempts.submit(user_id, quiz, attempt.id, {"b-single": "b"}, now=when + timedelta(minutes=5)).attempt


def test_coach_actions_feed_the_support_dimension(app, team):
    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara, omid = users(team.coach, team.sara, team.omid)
        cat = catalog(app)
        # Sara failed 10 days ago and her coach assigned the refresher the next day: followed up (1).
        _fail_quiz(app, sara.id, now - timedelta(days=10))
        assigning.assign(coach, [sara], assigning.find_target(cat, "quiz:basics-refresher"), now.date(),
                         now=now - timedelta(days=9))
        # Omid failed 10 days ago and nobody acted (0); his question waits past 2 days (0).
        _fail_quiz(app, omid.id, now - timedelta(days=10))
        help_requests.ask(omid, cat, "lesson", "basics-01-hello", "Help?", now - timedelta(days=3))
        # A fresh failure says nothing yet: its follow-up window is still open.
        _fail_quiz(app, omid.id, now - timedelta(days=1))

        def signals(user_id, source):
            return [r.value for r in cell_evidence(db.session, now, settings, user_id, "communication", "support")
                    if r.source == source]

        assert signals(sara.id, "followup") == [1.0]
        assert signals(omid.id, "followup") == [0.0]
        assert signals(omid.id, "help") == [0.0]
        # The assignment counts as coaching contact in this period, for every topic.
        contact = [r for r in cell_evidence(db.session, now, settings, sara.id, "policies", "support")
                   if r.source == "coaching_contact" and r.item_id == "period-0"]
        assert [r.value for r in contact] == ([1.0] if sara.created_at <= now - timedelta(days=30) else [])

        lines = {line.coach.username: line for line in coaches_late(sara.site_id, now, settings)}
        assert (lines["maryam"].followups, lines["maryam"].help) == (1, 1)
        assert lines["reza"].total == 0


def test_help_answered_in_time_or_late(app, team):
    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        cat = catalog(app)
        quick = help_requests.ask(sara, cat, "item", "b-tf", "Why?", now - timedelta(days=5))
        help_requests.answer(coach, quick, "Because.", now - timedelta(days=4))
        slow = help_requests.ask(sara, cat, "lesson", "basics-01-hello", "And this?", now - timedelta(days=6))
        help_requests.answer(coach, slow, "Later.", now - timedelta(days=1))
        values = sorted(r.value for r in cell_evidence(db.session, now, settings, sara.id, "communication", "support")
                        if r.source == "help")
        assert values == [0.5, 1.0]


def test_managers_see_late_coaches_and_agents_do_not(app, team):
    with app.app_context():
        help_requests.ask(db.session.get(User, team.sara), catalog(app), "lesson", "basics-01-hello", "Hm?",
                          utcnow() - timedelta(days=3))
    page = signed_in(app, "manager").get("/coaching/late").get_data(as_text=True)
    assert "Maryam" in page and "Reza" in page
    assert signed_in(app, "sara").get("/coaching/late").status_code == 403
    assert signed_in(app, "maryam").get("/coaching/late").status_code == 403


# -- notifications --------------------------------------------------------------------------

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


def test_typed_replies_reviewed_in_time_late_or_not_at_all(app, team):
    """Found while adding coaching signals: on SQLite, "timestamp + window" compared as a
    number, so a review in time counted as late. later() computes it on both engines."""
    from lms.roleplays import services
    from lms.roleplays.engine import Reply
    from lms.roleplays.models import RoleplayStep

    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara, omid, parisa = users(team.coach, team.sara, team.omid, team.parisa)
        cat = catalog(app)
        rp = cat.roleplays["rp-late"]
        for agent, reviewed_after in ((sara, 1), (omid, 5), (parisa, None)):
            run = services.start_or_resume(agent.id, rp, now=now - timedelta(days=6))
            services.take_step(agent.id, rp, run.id, 0, Reply(typed="Sorry, I will fix it.", persona="upset"),
                               cat.personas, now=now - timedelta(days=6))
            if reviewed_after:
                step = db.session.scalar(select(RoleplayStep).where(RoleplayStep.run_id == run.id))
                services.save_review(coach, step, rp, {"empathy": 4, "explains_why": 2}, "",
                                     now=now - timedelta(days=6 - reviewed_after))
        values = [[r.value for r in cell_evidence(db.session, now, settings, agent.id, "policies", "support")
                   if r.source == "review_wait"] for agent in (sara, omid, parisa)]
        assert values == [[1.0], [0.5], [0.0]]


# -- daily digests over a real (local) SMTP server ------------------------------------------

@pytest.fixture
def smtp(app, monkeypatch):
    """An SMTP server on a free local port that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(message_from_bytes(envelope.content, policy=email_policy))
            return "250 OK"

    inbox = Inbox()
    port = free_port()  # aiosmtpd checks its own port once started, so 0 will not do
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "LMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "LMS_SMTP_PORT", port)
    monkeypatch.setitem(app.config, "LMS_BASE_URL", "https://academy.example")
    yield inbox
    controller.stop()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _with_emails(app, team):
    with app.app_context():
        for user in users(team.coach, team.sara, team.parisa):
            user.email = f"{user.username}@example.com"
        coach, reza, sara, parisa = users(team.coach, team.other_coach, team.sara, team.parisa)
        cat = catalog(app)
        assigning.assign(coach, [sara], assigning.find_target(cat, "quiz:basics-refresher"),
                         utcnow().date() + timedelta(days=3), "Before Friday")
        assigning.assign(reza, [parisa], assigning.find_target(cat, "module:basics"), utcnow().date())
        help_requests.ask(sara, cat, "lesson", "basics-01-hello", "How long do I wait?")


def test_digests_are_mailed_once_a_day_in_each_persons_language(app, team, smtp):
    from lms.i18n import format_day

    _with_emails(app, team)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "Digests sent: 3; already sent today: 0; failed: 0." in result.output
    mails = {m["To"]: m for m in smtp.messages}
    assert set(mails) == {"maryam@example.com", "sara@example.com", "parisa@example.com"}
    sara_text = mails["sara@example.com"].get_body(("plain",)).get_content()
    assert "Maryam assigned you “Basics refresher”" in sara_text
    assert "https://academy.example/quizzes/basics-refresher" in sara_text
    parisa_mail = mails["parisa@example.com"]
    with app.app_context():
        assert format_day(utcnow().date(), "fa") in parisa_mail["Subject"]
        html = parisa_mail.get_body(("html",)).get_content()
        assert 'dir="rtl"' in html and "مبانی" in html
        # Due today: on Parisa's list of what is due, with the date in Persian.
        assert format_day(utcnow().date(), "fa") in html
        assert count(Notification, Notification.emailed_at.is_(None), Notification.user_id != team.omid) == 0
    coach_text = mails["maryam@example.com"].get_body(("plain",)).get_content()
    assert "Sara asked for help on “Say hello”" in coach_text and "Questions waiting for your answer: 1" in coach_text

    again = runner.invoke(args=["lms", "send-digests"])
    # Each digest would say something again (what is due has not changed), but today's went out.
    assert "Digests sent: 0; already sent today: 3" in again.output and len(smtp.messages) == 3


def test_a_failed_send_releases_the_day_and_says_so(app, team, monkeypatch):
    _with_emails(app, team)
    monkeypatch.setitem(app.config, "LMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "LMS_SMTP_PORT", free_port())  # nobody listens there
    result = app.test_cli_runner().invoke(args=["lms", "send-digests"])
    assert result.exit_code == 1 and "failed: 3" in result.output
    with app.app_context():
        from lms.coaching.models import DigestSent

        assert count(DigestSent) == 0 and count(Notification, Notification.emailed_at.is_not(None)) == 0


def test_without_smtp_settings_the_command_says_what_to_set(app, team):
    result = app.test_cli_runner().invoke(args=["lms", "send-digests"])
    assert result.exit_code == 1 and "Set LMS_SMTP_HOST" in result.output
    dry = app.test_cli_runner().invoke(args=["lms", "send-digests", "--dry-run"])
    assert dry.exit_code == 0


def test_coaching_contact_counts_each_period_a_coach_was_in_touch(app, team):
    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        sara.created_at = now - timedelta(days=100)
        db.session.commit()
        # Period 1 (30-60 days ago): an assignment; period 0: a 1:1; period 2: nothing.
        assigning.assign(coach, [sara], assigning.find_target(catalog(app), "module:basics"), now.date(),
                         now=now - timedelta(days=45))
        one_on_ones.log(coach, sara, "policies", (now - timedelta(days=5)).date(), "Why", "Next",
                        now=now - timedelta(days=5))
        for topic in ("communication", "policies"):
            contact = {r.item_id: r.value for r in cell_evidence(db.session, now, settings, sara.id, topic, "support")
                       if r.source == "coaching_contact"}
            assert contact == {"period-0": 1.0, "period-1": 1.0, "period-2": 0.0}


def test_an_assigned_module_opens_before_its_prerequisites(app, team):
    agent = signed_in(app, "sara")
    assert agent.get("/modules/advanced").status_code == 403  # needs basics first
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        assigning.assign(coach, [sara], assigning.find_target(catalog(app), "module:advanced"), utcnow().date())
    assert agent.get("/modules/advanced").status_code == 200
    assert agent.get("/quizzes/advanced-quiz").status_code == 200
    assert signed_in(app, "omid").get("/modules/advanced").status_code == 403  # not assigned to him


def test_a_team_the_coach_cannot_see_is_not_found_and_its_agents_stay_unnamed(app, team):
    with app.app_context():
        zagros = db.session.get(User, team.parisa).team_id
    coach = signed_in(app, "maryam")
    response = coach.post("/coaching/assign", data={
        "target": "module:basics", "teams": str(zagros), "due_on": utcnow().date().isoformat(),
        "csrf_token": token_for(coach, "/coaching/assign")})
    assert response.status_code == 404 and "Parisa" not in response.get_data(as_text=True)
    with app.app_context():
        assert count(Assignment) == 0


def test_without_a_hire_date_the_path_days_count_from_the_account(app, team):
    from lms.coaching.todo import todo_for

    with app.app_context():
        sara = db.session.get(User, team.sara)
        sara.hired_on, sara.created_at = None, utcnow() - timedelta(days=5)
        todos = todo_for(catalog(app), sara, utcnow().date())
        basics = next(t for t in todos if t.title == "Basics")
        assert basics.due_on == (utcnow() - timedelta(days=5)).date() and basics.overdue(utcnow().date())


def test_a_coach_withdraws_an_assignment_and_may_assign_it_again(app, team):
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        target = assigning.find_target(catalog(app), "quiz:basics-refresher")
        made = assigning.assign(coach, [sara], target, utcnow().date() + timedelta(days=2))[0].id
    agent = signed_in(app, "sara")
    assert "Basics refresher" in agent.get("/todo").get_data(as_text=True)
    other = signed_in(app, "reza")
    assert other.post(f"/coaching/assignments/{made}/cancel",
                      data={"csrf_token": token_for(other, "/coaching")}).status_code == 404
    coach = signed_in(app, "maryam")
    url = f"/coaching/assignments/{made}/cancel"
    assert coach.post(url, data={"csrf_token": token_for(coach, "/coaching")}).status_code == 303
    again = coach.post(url, data={"csrf_token": token_for(coach, "/coaching")})
    assert again.status_code == 409 and "already done or withdrawn" in again.get_data(as_text=True)
    assert "Basics refresher" not in agent.get("/todo").get_data(as_text=True)
    assert "Maryam withdrew “Basics refresher”" in agent.get("/notifications").get_data(as_text=True)
    assert "Withdrawn" in coach.get(f"/coaching/people/{team.sara}").get_data(as_text=True)
    with app.app_context():
        coach_user, sara = users(team.coach, team.sara)
        assigning.assign(coach_user, [sara], assigning.find_target(catalog(app), "quiz:basics-refresher"),
                         utcnow().date())  # the same thing again, now that the first is withdrawn
        assert count(Assignment) == 2
