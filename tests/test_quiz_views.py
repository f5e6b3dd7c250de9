"""The new hire's path through the Flask test client: lessons, the quiz player, grading,
evidence, and every way a quiz post can go wrong."""

import re
import threading
from datetime import timedelta

from sqlalchemy import func, select

from lms import db
from lms.gaps.models import Evidence
from lms.learning.models import AttemptAnswer, LessonRead, ModuleCompletion, QuizAttempt

from .conftest import sign_in, token_for

RIGHT = {"item-b-single": "a", "item-b-multi": ["a", "b"], "item-b-tf": "false", "item-b-why": "a",
         "item-b-agree": "2", "item-b-support": "5"}


def start(client, quiz="basics-quiz"):
    response = client.post(f"/quizzes/{quiz}/start", data={"csrf_token": token_for(client, f"/quizzes/{quiz}")})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def submit(client, attempt_id, answers, quiz="basics-quiz", token=None):
    data = dict(answers, csrf_token=token or token_for(client))
    return client.post(f"/quizzes/{quiz}/attempts/{attempt_id}", data=data)


def count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return db.session.scalar(query)


def test_path_lists_modules_in_order_with_the_locked_one_marked(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    html = client.get("/").get_data(as_text=True)
    assert html.index("Basics") < html.index("Advanced")
    assert "Locked" in html and "Opens after: Basics" in html


def test_a_locked_module_is_refused_on_the_server(client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    assert client.get("/modules/advanced").status_code == 403
    assert client.get("/modules/advanced/lessons/advanced-01-why").status_code == 403
    assert client.post("/quizzes/advanced-quiz/start", data={"csrf_token": token_for(client)}).status_code == 403


def test_lesson_is_rendered_sanitised_and_marked_read(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    page = client.get("/modules/basics/lessons/basics-01-hello").get_data(as_text=True)
    assert "<strong>respect</strong>" in page and "Greet the customer by name" in page
    assert "<script>alert" not in page and "onclick" not in page
    response = client.post("/modules/basics/lessons/basics-01-hello/read", data={"csrf_token": token_for(client)})
    assert response.headers["Location"].endswith("/modules/basics/lessons/basics-02-listen")
    client.post("/modules/basics/lessons/basics-01-hello/read", data={"csrf_token": token_for(client)})
    assert count(app, LessonRead, user_id=user_id) == 1
    assert "1 of 2 lessons read" in client.get("/").get_data(as_text=True)


def test_the_quiz_page_never_holds_the_key_or_explanations(client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    page = client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").get_data(as_text=True)
    assert "What comes first on an angry call?" in page
    assert "SECRET-EXPLANATION" not in page
    for explanation in ("Summary and next step.", "It costs a repeat.", "It shows attention.", "Scripts are a guide."):
        assert explanation not in page
    assert "correct" not in page.lower() and "checked" not in page  # no key, nothing pre-selected


def test_submitting_grades_on_the_server_and_writes_evidence_and_completion(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    response = submit(client, attempt_id, RIGHT)
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Passed" in result and "100%" in result and "SECRET-EXPLANATION-SINGLE" in result
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 1.0, True)
        rows = {e.item_id: e for e in db.session.scalars(select(Evidence).where(Evidence.user_id == user_id))}
        assert set(rows) == {"b-single", "b-multi", "b-tf", "b-why", "b-agree", "b-support"}
        assert (rows["b-why"].topic, rows["b-why"].dimension, rows["b-why"].value) == ("communication", "belief", 1.0)
        assert rows["b-agree"].value == 0.75 and rows["b-support"].dimension == "support"
        assert all(len(e.content_version) == 16 for e in rows.values())
    assert count(app, ModuleCompletion, user_id=user_id) == 1
    assert "Advanced" in client.get("/modules/advanced").get_data(as_text=True)  # now open


def test_progress_survives_signing_out(client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    submit(client, start(client), RIGHT)
    client.post("/sign-out", data={"csrf_token": token_for(client)})
    assert client.get("/").status_code == 302
    sign_in(client, "sara")
    assert "1 of 2 modules complete" in client.get("/").get_data(as_text=True)


def test_two_tabs_share_one_open_attempt(client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    assert start(client) == start(client)


def test_posting_the_same_submission_twice_replays_the_first_result(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    token = token_for(client)
    first = submit(client, attempt_id, RIGHT, token=token)
    again = submit(client, attempt_id, RIGHT, token=token)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert count(app, AttemptAnswer, attempt_id=attempt_id) == 6
    assert count(app, Evidence, source_id=str(attempt_id)) == 6


def test_a_stale_page_with_other_answers_is_rejected(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    submit(client, attempt_id, RIGHT)
    stale = submit(client, attempt_id, dict(RIGHT, **{"item-b-single": "b"}))
    assert stale.status_code == 409 and "already submitted" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).score == 1.0


def test_many_identical_posts_at_once_make_exactly_one_submission(app, make_user):
    make_user("sara")
    clients = [app.test_client() for _ in range(12)]
    for c in clients:
        sign_in(c, "sara")
    attempt_id = start(clients[0])
    tokens = [token_for(c) for c in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def post(c, token):
        barrier.wait()
        statuses.append(submit(c, attempt_id, RIGHT, token=token).status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * len(clients)
    assert count(app, QuizAttempt) == 1
    assert count(app, AttemptAnswer, attempt_id=attempt_id) == 6
    assert count(app, Evidence) == 6


def test_unknown_items_are_a_400_and_nothing_is_written(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    response = submit(client, attempt_id, dict(RIGHT, **{"item-injected": "a"}))
    assert response.status_code == 400 and "does not match the quiz" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).status == "open"
    assert count(app, AttemptAnswer) == 0 and count(app, Evidence) == 0


def test_another_users_attempt_is_not_found(app, make_user):
    make_user("sara")
    make_user("omid")
    sara, omid = app.test_client(), app.test_client()
    sign_in(sara, "sara")
    sign_in(omid, "omid")
    attempt_id = start(sara)
    assert submit(omid, attempt_id, RIGHT).status_code == 404
    assert omid.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").status_code == 404
    assert count(app, AttemptAnswer) == 0


def test_a_post_without_csrf_token_changes_nothing(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    response = client.post(f"/quizzes/basics-quiz/attempts/{attempt_id}", data=RIGHT)
    assert response.status_code == 400 and count(app, AttemptAnswer) == 0


def started_ago(app, client, elapsed):
    """Sign in, open an attempt and move its clock back by ``elapsed``; returns (id, deadline)."""
    sign_in(client, "sara")
    attempt_id = start(client)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.started_at -= elapsed
        attempt.deadline_at -= elapsed
        db.session.commit()
        return attempt_id, attempt.deadline_at


def test_a_late_post_closes_the_attempt_at_its_deadline(app, client, make_user):
    make_user("sara")
    attempt_id, deadline = started_ago(app, client, timedelta(minutes=11))  # 10-minute limit
    response = submit(client, attempt_id, RIGHT)
    assert response.status_code == 409 and "Time ran out" in response.get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.closed_at, attempt.passed) == ("expired", deadline, False)
    assert count(app, Evidence) == 0 and count(app, ModuleCompletion) == 0
    assert start(client) != attempt_id  # a new attempt can start


def test_a_post_within_the_grace_period_still_counts(app, client, make_user):
    make_user("sara")
    attempt_id, _deadline = started_ago(app, client, timedelta(minutes=10, seconds=10))  # grace is 30 s
    assert submit(client, attempt_id, RIGHT).status_code == 303


def test_result_page_explains_wrong_answers(client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    response = submit(client, start(client), {"item-b-single": "b"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet" in page and "Right answer:" in page and "Acknowledge the feeling" in page
    assert re.search(r"Not answered", page)
