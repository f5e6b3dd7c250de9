"""The new hire's path through the Flask test client: lessons, the quiz player, grading,
evidence, completion, and every way a quiz post can go wrong."""

import html
import re
import threading
from datetime import timedelta

from sqlalchemy import func, select

from lms import db
from lms.audit.models import AuditEvent
from lms.evidence import Evidence
from lms.learning.models import AttemptAnswer, LessonRead, ModuleCompletion, QuizAttempt
from lms.learning.progress import waiting_for

from .conftest import sign_in, token_for
from .quiz_helpers import age_attempts, complete, drawn, pass_quiz, read_lessons, sheet, start, submit


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


def test_opening_a_lesson_renders_it_sanitised_and_counts_it_read_once(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    page = client.get("/modules/basics/lessons/basics-01-hello").get_data(as_text=True)
    assert "<strong>respect</strong>" in page and "Greet the customer by name" in page
    assert "<script>alert" not in page and "onclick" not in page
    assert count(app, LessonRead, user_id=user_id) == 1
    response = client.post("/modules/basics/lessons/basics-01-hello/read", data={"csrf_token": token_for(client)})
    assert response.headers["Location"].endswith("/modules/basics/lessons/basics-02-listen")
    client.get("/modules/basics/lessons/basics-01-hello")
    assert count(app, LessonRead, user_id=user_id) == 1
    assert "1 of 2 lessons read" in client.get("/").get_data(as_text=True)


def test_the_quiz_page_holds_no_key_no_explanation_and_no_option_ids(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    page = client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").get_data(as_text=True)
    items = app.extensions["lms"].catalog.items
    shown = drawn(app, attempt_id)
    assert len(shown) == 4  # two knowledge items, one why, one agreement
    for item_id, order in shown:
        item = items[item_id]
        assert item.text["en"].split("<p>")[-1][:15] in page
        assert "SECRET-EXPLANATION" not in page and "IDEA-" not in page
        if order:  # options post their shown position, never their id, and appear in that order
            values = re.findall(rf'name="item-{item_id}" value="([^"]+)"', page)
            assert values == [str(n) for n in range(1, len(order) + 1)]
            texts = [next(o for o in item.options if o.id == option_id).text["en"] for option_id in order]
            assert [page.index(text) for text in texts] == sorted(page.index(text) for text in texts)
    assert "correct" not in page.lower() and "checked" not in page  # nothing pre-selected


def test_starting_and_submitting_a_quiz_land_in_the_audit_trail_with_the_attempt(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    submit(client, attempt_id, sheet(app, attempt_id, right=False))
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.target == f"attempt:{attempt_id}")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.kind, e.actor_id, e.person_id) for e in events] == [
            ("attempt.started", user_id, user_id), ("attempt.graded", user_id, user_id)]
        assert events[0].after == {"quiz": "basics-quiz"}
        assert events[1].before == {"status": "open"}
        assert events[1].after["status"] == "submitted" and events[1].after["passed"] is False


def test_passing_writes_evidence_for_the_drawn_items_and_completes_once_every_lesson_is_open(
        app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    client.get("/modules/basics/lessons/basics-01-hello")  # one of the two lessons
    attempt_id = start(client)
    response = submit(client, attempt_id, sheet(app, attempt_id))
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Passed" in result and "100%" in result and "SECRET-EXPLANATION" in result
    assert "Knowledge: 2 of 2" in result and "Belief: 1 of 1" in result  # the score by dimension
    assert "To complete the module, open its remaining lessons" in result and "Listen" in result
    shown = {item_id for item_id, _ in drawn(app, attempt_id)}
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert (attempt.status, attempt.score, attempt.passed, attempt.closed_by) == ("submitted", 1.0, True, "learner")
        rows = {e.item_id: e for e in db.session.scalars(select(Evidence).where(Evidence.user_id == user_id))}
        assert set(rows) == shown
        assert {(e.dimension, e.value) for e in rows.values() if e.dimension == "belief" and e.value != 1.0} <= {
            ("belief", 0.75), ("belief", 0.25)}  # the agreement item, rated 4
        assert not any(e.dimension == "support" for e in rows.values())
        assert all(len(e.content_version) == 16 for e in rows.values())
    assert count(app, ModuleCompletion, user_id=user_id) == 0
    assert "Quiz passed. The module is complete once every lesson has been opened: 1 to go." in \
        client.get("/").get_data(as_text=True)
    assert client.get("/modules/advanced").status_code == 403  # still locked
    client.get("/modules/basics/lessons/basics-02-listen")
    assert count(app, ModuleCompletion, user_id=user_id) == 1
    assert "Advanced" in client.get("/modules/advanced").get_data(as_text=True)  # now open


def test_progress_survives_signing_out(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    read_lessons(client, "basics")
    pass_quiz(app, client)
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
    token, answers = token_for(client), sheet(app, attempt_id)
    first = submit(client, attempt_id, answers, token=token)
    again = submit(client, attempt_id, answers, token=token)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert count(app, AttemptAnswer, attempt_id=attempt_id) == 4
    assert count(app, Evidence, source_id=str(attempt_id)) == 4


def test_a_stale_page_with_other_answers_is_rejected(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    submit(client, attempt_id, sheet(app, attempt_id))
    stale = submit(client, attempt_id, sheet(app, attempt_id, right=False))
    assert stale.status_code == 409 and "already submitted" in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).score == 1.0


def test_many_identical_posts_at_once_make_exactly_one_submission(app, make_user):
    make_user("sara")
    clients = [app.test_client() for _ in range(12)]
    for c in clients:
        sign_in(c, "sara")
    attempt_id = start(clients[0])
    answers = sheet(app, attempt_id)
    tokens = [token_for(c) for c in clients]
    barrier, statuses = threading.Barrier(len(clients)), []

    def post(c, token):
        barrier.wait()
        statuses.append(submit(c, attempt_id, answers, token=token).status_code)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * len(clients)
    assert count(app, QuizAttempt) == 1
    assert count(app, Evidence) == 4


def test_unknown_items_and_impossible_positions_are_a_400_and_nothing_is_written(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    with_option = next(item_id for item_id, order in drawn(app, attempt_id) if order)
    for bad in ({"item-injected": "a"}, {f"item-{with_option}": "9"}, {f"item-{with_option}": "a"}):
        response = submit(client, attempt_id, dict(sheet(app, attempt_id), **bad))
        assert response.status_code == 400 and "does not match the quiz" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).status == "open"
    assert count(app, Evidence) == 0


def test_another_users_attempt_is_not_found(app, make_user):
    make_user("sara")
    make_user("omid")
    sara, omid = app.test_client(), app.test_client()
    sign_in(sara, "sara")
    sign_in(omid, "omid")
    attempt_id = start(sara)
    assert submit(omid, attempt_id, sheet(app, attempt_id)).status_code == 404
    assert omid.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").status_code == 404
    assert omid.post(f"/quizzes/basics-quiz/attempts/{attempt_id}/answers",
                     data={"csrf_token": token_for(omid)}).status_code == 404
    assert count(app, Evidence) == 0


def test_a_post_without_csrf_token_changes_nothing(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    response = client.post(f"/quizzes/basics-quiz/attempts/{attempt_id}", data=sheet(app, attempt_id))
    assert response.status_code == 400 and count(app, Evidence) == 0


def test_a_failed_result_names_the_wrong_items_and_their_idea_but_no_key(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    shown = drawn(app, attempt_id)
    single = next(item_id for item_id, order in shown if order and item_id != "b-multi")
    response = submit(client, attempt_id, {f"item-{single}": sheet(app, attempt_id, right=False)[f"item-{single}"]})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not passed yet" in page and "Not right" in page and "Not answered" in page
    assert "The idea behind it:" in page and "Reread:" in page
    assert "Right answer:" not in page and "SECRET-EXPLANATION" not in page


def test_a_retake_is_a_fresh_draw_with_a_new_option_order_after_the_cooldown(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    first = start(client)
    submit(client, first, {})
    refused = client.post("/quizzes/basics-quiz/start", data={"csrf_token": token_for(client)})
    assert refused.status_code == 429
    assert "You can start your next attempt in 1 hour" in refused.get_data(as_text=True)
    assert count(app, QuizAttempt) == 1
    age_attempts(app, user_id, timedelta(minutes=61))
    second = start(client)
    one, two = dict(drawn(app, first)), dict(drawn(app, second))
    assert not set(one) & set(two)  # a bank 2.5 times the draw: nothing repeats
    assert client.get(f"/quizzes/basics-quiz/attempts/{first}").status_code == 200


def test_the_result_of_an_earlier_attempt_shows_nothing_per_item_while_a_retake_is_open(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    first = pass_quiz(app, client)
    assert "SECRET-EXPLANATION" in client.get(f"/quizzes/basics-quiz/attempts/{first}").get_data(as_text=True)
    age_attempts(app, user_id, timedelta(hours=2))
    start(client)
    page = client.get(f"/quizzes/basics-quiz/attempts/{first}").get_data(as_text=True)
    assert "hidden while your new attempt" in page and "SECRET-EXPLANATION" not in page


def test_three_attempts_a_day_at_most(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    for _ in range(3):
        submit(client, start(client), {})
        age_attempts(app, user_id, timedelta(minutes=61))
    refused = client.post("/quizzes/basics-quiz/start", data={"csrf_token": token_for(client)})
    assert refused.status_code == 429 and "today's attempts" in html.unescape(refused.get_data(as_text=True))
    age_attempts(app, user_id, timedelta(hours=21))
    assert start(client)


def test_the_leaders_track_is_for_coaches_and_managers_only(app, make_user):
    make_user("sara")
    make_user("maryam", role="coach")
    agent, coach = app.test_client(), app.test_client()
    sign_in(agent, "sara")
    sign_in(coach, "maryam")
    assert "Leading a team" not in agent.get("/").get_data(as_text=True)
    assert agent.get("/modules/leading").status_code == 404
    assert agent.post("/quizzes/leading-quiz/start", data={"csrf_token": token_for(agent)}).status_code == 404
    path = coach.get("/").get_data(as_text=True)
    assert "The coach and manager track" in path and "Leading a team" in path
    assert "Back your agents" in coach.get("/modules/leading").get_data(as_text=True)
    assert start(coach, "leading-quiz")


def test_the_last_lesson_leads_on_to_the_quiz_while_it_is_open_else_back_to_the_module(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    last = "/modules/basics/lessons/basics-02-listen"

    def done():
        return client.post(f"{last}/read", data={"csrf_token": token_for(client)}).headers["Location"]

    assert "Done — on to the quiz" in client.get(last).get_data(as_text=True)
    assert done() == "/quizzes/basics-quiz"
    submit(client, start(client), {})  # failed: the next attempt waits an hour
    assert "Done — back to the module" in client.get(last).get_data(as_text=True)
    assert done() == "/modules/basics"
    age_attempts(app, user_id, timedelta(minutes=61))
    pass_quiz(app, client)  # passed: nothing more to take
    assert done() == "/modules/basics"


def test_the_quiz_page_shows_how_many_of_its_items_are_answered(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = start(client)
    page = client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").get_data(as_text=True)
    assert ">Answered 0 of 4</p>" in page and 'data-count="Answered {n} of 4"' in page
    first, _order = drawn(app, attempt_id)[0]
    answers = {f"item-{first}": sheet(app, attempt_id)[f"item-{first}"]}
    client.post(f"/quizzes/basics-quiz/attempts/{attempt_id}/answers",
                data=dict(answers, on_page=[i for i, _ in drawn(app, attempt_id)], csrf_token=token_for(client)))
    assert ">Answered 1 of 4</p>" in client.get(f"/quizzes/basics-quiz/attempts/{attempt_id}").get_data(as_text=True)


def test_a_modules_gate_waits_for_its_requirements_until_it_is_complete_itself(app):
    modules = app.extensions["lms"].catalog.modules
    advanced, basics = modules["advanced"], modules["basics"]
    assert waiting_for(advanced, frozenset()) == ("basics",)
    assert waiting_for(advanced, frozenset({"basics"})) == ()
    assert waiting_for(advanced, frozenset({"advanced"})) == ()  # done before the requirement came
    assert waiting_for(basics, frozenset()) == ()


def test_a_locked_modules_quiz_page_opens_once_its_requirement_is_complete(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    assert client.get("/quizzes/advanced-quiz").status_code == 403
    complete(app, client)  # basics
    assert client.get("/quizzes/advanced-quiz").status_code == 200
