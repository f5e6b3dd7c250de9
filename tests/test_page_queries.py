"""The pages people open most take a fixed, small number of SQL statements: the same for a
team of 2 as for a team of 12 (no statement per agent, per assignment or per help request),
and no more than today's count. bench/load.py measures what these pages cost under load."""

from datetime import timedelta

import pytest
from sqlalchemy import event, func, insert, select

from lms import db
from lms.accounts.models import User
from lms.coaching.assigning import assign, find_target
from lms.coaching.models import HelpRequest, Notification
from lms.coaching.notifications import notify
from lms.db import utcnow
from lms.evidence import Evidence
from lms.coaching.models import SpacedItem
from lms.learning.models import LessonRead, QuizAttempt

from .conftest import signed_in, token_for
from .query_count import count_statements
from .quiz_helpers import sheet, start, submit

#: Statements per page, at most: one for the person and their unread notifications, then the page's own.
BUDGET = {
    "path": 6,
    "lesson": 2,
    "todo": 6,
    "own gaps": 5,  # 4, and the agent's latest customer praise
    "coach dashboard": 10,
    "team gaps": 5,
    "agent gaps (coach)": 9,  # 8, and the agent's latest customer praise
    "does coaching work": 4,
}


def _team(app, make_user, name, size):
    """A coach of team ``name`` and ``size`` agents, each with evidence, a lesson read, an
    assignment from the coach and an unanswered help request."""
    coach = make_user(f"coach-{name}", role="coach", coach_of=(name,))
    agents = [make_user(f"{name}-{n}", team=name) for n in range(size)]
    now = utcnow()
    with app.app_context():
        catalog = app.extensions["lms"].catalog
        module = catalog.modules["basics"]
        db.session.execute(insert(Evidence), [
            {"user_id": agent, "item_id": f"x{k}", "topic": module.topic, "dimension": dimension, "value": k % 2,
             "source": "quiz", "source_id": f"{agent}-{dimension}-{k}", "content_version": "v",
             "created_at": now - timedelta(days=k)}
            for agent in agents for dimension in ("knowledge", "belief") for k in range(4)])
        db.session.add_all(LessonRead(user_id=agent, lesson_id=module.lessons[0].id, lesson_version=module.lessons[0].version)
                           for agent in agents)
        db.session.add_all(HelpRequest(user_id=agent, subject_kind="lesson", subject_id=module.lessons[0].id, topic=module.topic,
                                       question="How do I say no politely?", created_at=now - timedelta(days=3))
                           for agent in agents)
        people = db.session.scalars(select(User).where(User.id.in_([coach, *agents]))).all()
        by_id = {person.id: person for person in people}
        assign(by_id[coach], [by_id[a] for a in agents], find_target(catalog, "module:advanced"),
               now.date() + timedelta(days=7))
        db.session.commit()
        lesson = f"/modules/basics/lessons/{module.lessons[0].id}"
    return coach, agents, lesson


def _counts(app, make_user, name, size):
    coach_id, agents, lesson = _team(app, make_user, name, size)
    with app.app_context():
        team_id = db.session.get(User, agents[0]).team_id
    agent, coach = signed_in(app, f"{name}-0"), signed_in(app, f"coach-{name}")
    return {
        "path": count_statements(app, agent, "/"),
        "lesson": count_statements(app, agent, lesson),
        "todo": count_statements(app, agent, "/todo"),
        "own gaps": count_statements(app, agent, f"/gaps/people/{agents[0]}"),
        "coach dashboard": count_statements(app, coach, "/coaching"),
        "team gaps": count_statements(app, coach, f"/gaps/teams/{team_id}"),
        "agent gaps (coach)": count_statements(app, coach, f"/gaps/people/{agents[1]}"),
        "does coaching work": count_statements(app, coach, "/coaching/effectiveness"),
    }


@pytest.fixture
def counts(app, make_user):
    return _counts(app, make_user, "Alborz", 2), _counts(app, make_user, "Zagros", 12)


def test_a_page_takes_as_many_statements_for_2_agents_as_for_12(counts):
    small, large = counts
    assert small == large


@pytest.mark.parametrize("page", sorted(BUDGET))
def test_a_page_takes_no_more_statements_than_its_budget(counts, page):
    assert counts[1][page] <= BUDGET[page], counts[1]


def test_the_bell_counts_unread_notifications_loaded_with_the_person(app, make_user):
    """The count comes in the statement that loads the signed-in person, and is fresh after a
    notification is read."""
    sara = make_user("sara")
    with app.app_context():
        notify([sara, sara], "assigned", {"by": "Maryam", "target": "module:basics", "due": "2026-12-30"},
               "lms.learning.path")
        db.session.commit()
        first = db.session.scalars(select(Notification.id).where(Notification.user_id == sara)).first()
    client = signed_in(app, "sara")
    assert "2 unread" in client.get("/").get_data(as_text=True)
    assert client.get(f"/notifications/{first}").status_code == 303
    assert "1 unread" in client.get("/").get_data(as_text=True)


#: The quiz burst of bench/load.py: a learner opens the quiz, starts it, lands on the attempt
#: and submits it. The quiz's module requires none: its gate reads nothing.
BURST_BUDGET = {
    "quiz page": 2,  # the person, the attempts so far (retakes are judged on them)
    "start": 6,  # the person, the attempts, items seen before; the attempt, its items, the audit line
    "attempt page": 2,  # the person, the attempt with its items (no gate: it was passed at the start)
    # the person, the attempt with its items; closing it, every answer (one statement), the
    # evidence, the scores by dimension, the audit line; assignments done, misses scheduled, an
    # LTI route
    "submit": 10,
}


def test_the_quiz_bursts_pages_take_no_more_statements_than_their_budget(app, make_user):
    sara = make_user("sara")
    client = signed_in(app, "sara")
    token = token_for(client, "/quizzes/basics-quiz")
    counts = {"quiz page": count_statements(app, client, "/quizzes/basics-quiz"),
              "start": count_statements(app, client, "/quizzes/basics-quiz/start", "POST", 303,
                                        data={"csrf_token": token})}
    with app.app_context():
        attempt_id = db.session.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id == sara))
    attempt_page = f"/quizzes/basics-quiz/attempts/{attempt_id}"
    counts["attempt page"] = count_statements(app, client, attempt_page)
    counts["submit"] = count_statements(app, client, attempt_page, "POST", 303,
                                        data=dict(sheet(app, attempt_id, right=False), csrf_token=token))
    assert all(counts[page] <= budget for page, budget in BURST_BUDGET.items()), counts


def test_a_quiz_start_and_submission_send_no_statement_wider_than_one_row(app, make_user):
    """psycopg parses a statement of more than 50 parameters afresh on every call and never
    prepares it, so the rows of a quiz (items drawn, evidence, misses scheduled) go in as one
    row's statement run for each, never as parameters that grow with the quiz: no statement
    carries more than one row of the widest table written (an attempt)."""
    make_user("sara")
    client = signed_in(app, "sara")
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    widest = []

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        # One row's parameters (a dict or tuple); a batch of them when executemany (SQLAlchemy
        # sends a multi-row VALUES as one flat row).
        row = parameters[0] if executemany and isinstance(parameters[0], (dict, tuple, list)) else parameters
        widest.append((len(row or ()), statement.split("\n")[0][:60]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        attempt_id = start(client)
        assert submit(client, attempt_id, sheet(app, attempt_id, right=False)).status_code == 303
    finally:
        event.remove(engine, "before_cursor_execute", record)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SpacedItem)) >= 3  # the misses were scheduled
    assert max(widest)[0] <= len(QuizAttempt.__table__.columns), max(widest)
