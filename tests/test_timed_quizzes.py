"""Timed quizzes: answers saved as they are given, and an overdue attempt graded on what was
saved by its deadline — when the learner comes back, posts too late, or never returns."""

from datetime import timedelta

from sqlalchemy import select

from lms import db
from lms.audit.models import AuditEvent
from lms.evidence import Evidence
from lms.learning.models import AttemptAnswer, QuizAttempt

from .conftest import sign_in, token_for
from .quiz_helpers import drawn, sheet, start, submit


def started_ago(app, client, elapsed):
    """Sign in, open an attempt and move its clock back by ``elapsed``; returns (id, deadline)."""
    sign_in(client, "sara")
    attempt_id = start(client)
    move_back(app, attempt_id, elapsed)
    with app.app_context():
        return attempt_id, db.session.get(QuizAttempt, attempt_id).deadline_at


def move_back(app, attempt_id, elapsed):
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.started_at -= elapsed
        attempt.deadline_at -= elapsed
        for answer in attempt.answers:
            if answer.saved_at:
                answer.saved_at -= elapsed
        db.session.commit()


def autosave(client, attempt_id, answers, on_page=()):
    data = dict(answers, csrf_token=token_for(client), on_page=list(on_page))
    return client.post(f"/quizzes/basics-quiz/attempts/{attempt_id}/answers", data=data)


def half_the_answers(app, attempt_id):
    """The right answers to the attempt's graded items but the last one."""
    right = sheet(app, attempt_id)
    graded = [item_id for item_id, _ in drawn(app, attempt_id)
              if app.extensions["lms"].catalog.items[item_id].graded]
    return {key: value for key, value in right.items() if key[len("item-"):] in graded[:-1]}


def stored(app, attempt_id):
    with app.app_context():
        return {a.item_id: a.response for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id))}


def test_answers_are_saved_as_given_and_come_back_on_reload(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    answers = half_the_answers(app, attempt_id)
    response = autosave(client, attempt_id, answers)
    assert response.status_code == 200 and response.get_json() == {"saved": len(answers), "closed": False}
    assert sum(1 for value in stored(app, attempt_id).values() if value is not None) == len(answers)
    page = client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count(" checked") == sum(len(v) if isinstance(v, list) else 1 for v in answers.values())
    cleared = next(iter(answers))[len("item-"):]
    autosave(client, attempt_id, {}, on_page=[cleared])  # an answer taken back posts nothing of its own
    assert stored(app, attempt_id)[cleared] is None


def test_an_autosave_after_the_deadline_is_refused(app, client, make_user):
    make_user("sara")
    attempt_id, _deadline = started_ago(app, client, timedelta(minutes=11))  # 10-minute limit, 30 s grace
    response = autosave(client, attempt_id, half_the_answers(app, attempt_id))
    assert response.status_code == 409 and response.get_json()["closed"] is True
    assert all(value is None for value in stored(app, attempt_id).values())


def test_coming_back_after_the_deadline_grades_what_was_saved_by_then(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    answers = half_the_answers(app, attempt_id)
    autosave(client, attempt_id, answers)
    move_back(app, attempt_id, timedelta(minutes=20))  # the tab was closed; the deadline passed
    page = client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").get_data(as_text=True)
    assert "graded on the answers saved by the deadline" in page
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.closed_by, attempt.closed_at) == ("submitted", "deadline", attempt.deadline_at)
        assert attempt.points == len(answers) and attempt.max_points == len(answers) + 1
        evidence = db.session.scalars(select(Evidence).where(Evidence.user_id == user_id)).all()
        assert {e.created_at for e in evidence} == {attempt.deadline_at}
        assert sum(e.value for e in evidence if e.dimension == "knowledge" or e.item_id.startswith("b-why")) \
            == len(answers)
        closed = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "attempt.closed")).one()
        # Closed by the deadline: the system did it, for the learner.
        assert (closed.target, closed.actor_id, closed.actor_name, closed.person_id) == (
            f"attempt:{attempt_id}", None, "CX Academy", user_id)


def test_a_post_after_the_grace_period_is_graded_on_the_saved_answers_not_the_post(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    saved = half_the_answers(app, attempt_id)
    autosave(client, attempt_id, saved)
    move_back(app, attempt_id, timedelta(minutes=11))
    response = submit(client, attempt_id, sheet(app, attempt_id))  # every answer, but too late
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time ran out before this page was sent" in page
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.closed_by == "deadline" and attempt.points == len(saved)


def test_a_post_within_the_grace_period_still_counts_in_full(app, client, make_user):
    make_user("sara")
    attempt_id, _deadline = started_ago(app, client, timedelta(minutes=10, seconds=10))  # grace is 30 s
    assert submit(client, attempt_id, sheet(app, attempt_id)).status_code == 303
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.closed_by == "learner" and attempt.score == 1.0


def test_the_sweep_closes_attempts_whose_learners_never_came_back(app, make_user):
    make_user("sara")
    client = app.test_client()
    sign_in(client, "sara")
    attempt_id = start(client)
    autosave(client, attempt_id, half_the_answers(app, attempt_id))
    move_back(app, attempt_id, timedelta(hours=1))
    result = app.test_cli_runner().invoke(args=["lms", "close-overdue"])
    assert result.exit_code == 0 and "Closed 1 overdue attempt" in result.output
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.status == "submitted" and attempt.closed_by == "deadline" and attempt.points > 0
    again = app.test_cli_runner().invoke(args=["lms", "close-overdue"])
    assert "Closed 0 overdue attempts" in again.output


def speak(client, locale):
    assert client.post("/language", data={"locale": locale, "next": "/", "csrf_token": token_for(client)}).status_code \
        == 302


def answers_of(app, attempt_id):
    with app.app_context():
        return {a.item_id: a for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id))}


def test_a_submission_stores_every_answer_graded_in_the_language_it_was_sent_in(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    autosave(client, attempt_id, half_the_answers(app, attempt_id))  # in English
    speak(client, "fa")
    assert submit(client, attempt_id, sheet(app, attempt_id)).status_code == 303
    with app.app_context():
        closed_at = db.session.get(QuizAttempt, attempt_id).closed_at
    items = app.extensions["lms"].catalog.items
    answers = answers_of(app, attempt_id)
    assert {a.locale for a in answers.values()} == {"fa"}
    assert all(a.response is not None and a.saved_at == closed_at for a in answers.values())
    graded = [a for a in answers.values() if items[a.item_id].graded]
    assert graded and all(a.value == 1.0 and a.points == 1.0 and a.rest_score == 1.0 for a in graded)
    survey = [a for a in answers.values() if not items[a.item_id].graded]
    assert survey and all(a.value is not None and a.rest_score is None for a in survey)


def test_an_attempt_closed_by_its_deadline_keeps_the_language_each_answer_was_saved_in(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    speak(client, "fa")
    attempt_id = start(client)  # begun in Persian
    speak(client, "en")
    saved = half_the_answers(app, attempt_id)
    autosave(client, attempt_id, saved)  # answered in English
    move_back(app, attempt_id, timedelta(minutes=20))
    client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}")  # closes it
    answers = answers_of(app, attempt_id)
    assert {item_id: a.locale for item_id, a in answers.items()} == {
        item_id: "en" if f"item-{item_id}" in saved else "fa" for item_id in answers}
    assert all(a.value is not None for a in answers.values() if f"item-{a.item_id}" in saved)
