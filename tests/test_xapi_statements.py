"""The xAPI statement builders as plain functions, the hooks' switch (no LRS, no statements),
the sender's answers to the LRS's codes, and the resend command's period."""

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lms import db
from lms.catalog import load_catalog
from lms.outbox.models import Delivery
from lms.xapi import statements as build
from lms.xapi.delivery import send
from lms.xapi.models import XapiActor, actor_name

from .conftest import TEST_CONTENT, signed_in
from .quiz_helpers import read_lessons

SITE = build.Site("https://academy.example/")
T0 = datetime(2026, 11, 2, 9, 0, 0)
T1 = datetime(2026, 11, 2, 9, 7, 30)


@pytest.fixture(scope="module")
def content():
    return load_catalog(TEST_CONTENT)


def attempt(**changes):
    fields = dict(id=7, started_at=T0, closed_at=T1, points=1.0, max_points=3.0, passed=False, locale="fa")
    return SimpleNamespace(**{**fields, **changes})


def test_ids_are_the_same_for_the_same_event_and_differ_by_site_and_event():
    assert SITE.statement_id("attempt", 7, "result") == build.Site("https://academy.example").statement_id(
        "attempt", 7, "result")
    assert SITE.statement_id("attempt", 7, "result") != SITE.statement_id("attempt", 8, "result")
    assert SITE.statement_id("attempt", 7) != build.Site("https://other.example").statement_id("attempt", 7)


def test_a_lesson_read_is_experienced_by_an_account_of_the_site(content):
    lesson = content.lessons["basics-01-hello"]
    made = build.lesson_experienced(SITE, "3f0c", lesson, content.modules["basics"], T0)
    assert made["actor"] == {"objectType": "Agent", "account": {"homePage": "https://academy.example", "name": "3f0c"}}
    assert made["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced" and made["verb"]["display"]["fa"]
    assert made["object"]["id"] == "https://academy.example/modules/basics/lessons/basics-01-hello"
    assert set(made["object"]["definition"]["name"]) == {"en", "fa"}
    assert made["timestamp"] == "2026-11-02T09:00:00.000Z"
    assert made["context"]["extensions"] == {"https://academy.example/xapi/extensions/topic": lesson.topic}
    assert made == build.lesson_experienced(SITE, "3f0c", lesson, content.modules["basics"], T0)


def test_a_graded_attempt_says_its_score_and_each_answer_with_topic_and_dimension(content):
    quiz, items = content.quizzes["basics-quiz"], content.items
    single, multiple, agree = items["b-single"], next(i for i in quiz.bank if i.type == "multiple"), next(
        i for i in quiz.bank if i.type == "agreement")
    answered = [(single, "b", 0.0, 0.0), (multiple, frozenset(sorted(multiple.answer)), 1.0, multiple.points),
                (agree, None, None, 0.0)]
    made = build.quiz_statements(SITE, "3f0c", quiz, attempt(), answered)
    assert [s["verb"]["display"]["en"] for s in made] == ["attempted", "failed", "answered", "answered", "answered"]
    assert made[1]["result"] == {"score": {"scaled": 0.3333, "raw": 1.0, "min": 0, "max": 3.0}, "success": False,
                                 "completion": True, "duration": "PT450S"}
    assert made[0]["timestamp"] == "2026-11-02T09:00:00.000Z" and made[1]["timestamp"] == "2026-11-02T09:07:30.000Z"
    assert len({s["context"]["registration"] for s in made}) == 1 and made[1]["context"]["language"] == "fa"
    wrong, right, blank = made[2:]
    assert wrong["result"] == {"response": "b", "success": False,
                               "score": {"scaled": 0.0, "raw": 0.0, "min": 0, "max": single.points}}
    assert right["result"]["response"] == "[,]".join(sorted(multiple.answer)) and right["result"]["success"]
    assert blank["result"] == {"response": ""}  # an attitude statement left blank: never right or wrong
    topic, dimension = (SITE.extension(n) for n in ("topic", "dimension"))
    assert [(s["context"]["extensions"][topic], s["context"]["extensions"][dimension]) for s in made[2:]] == [
        (i.topic, i.dimension) for i in (single, multiple, agree)]
    assert right["object"]["definition"]["interactionType"] == "choice"
    assert {c["id"] for c in right["object"]["definition"]["choices"]} == {o.id for o in multiple.options}
    assert wrong["object"]["definition"]["name"] == {"en": "What comes first on an angry call?",  # HTML: plain
                                                     "fa": "در تماس عصبانی اول چه می\u200cآید؟"}
    assert right["context"]["contextActivities"]["parent"][0]["id"] == "https://academy.example/quizzes/basics-quiz"
    passed = build.quiz_statements(SITE, "3f0c", quiz, attempt(points=3.0, passed=True), [])
    assert passed[1]["verb"]["id"].endswith("/passed") and passed[1]["result"]["success"] is True


@pytest.mark.parametrize("response,expected", [
    (None, ""), ("a", "a"), (frozenset({"c", "a"}), "a[,]c"), (True, "true"), (False, "false"), (4, "4")])
def test_responses_take_the_cmi_interaction_form(content, response, expected):
    assert build.format_response(content.items["b-single"], response) == expected


def test_a_roleplay_run_says_each_reply_and_its_ending(content):
    rp = content.roleplays["rp-late"]
    run = SimpleNamespace(id=5, outcome="escalated", started_at=T0, finished_at=T1)
    steps = [SimpleNamespace(seq=0, node_id="open", choice_id=None, typed_reply="Sorry!", persona_answer="upset",
                             persona_correct=True, created_at=T0),
             SimpleNamespace(seq=1, node_id="offer", choice_id="wait", typed_reply=None, persona_answer=None,
                             persona_correct=None, created_at=T1)]
    typed, chosen, ended = build.roleplay_statements(SITE, "3f0c", rp, run, steps)
    assert typed["result"] == {"response": "Sorry!"}
    assert typed["context"]["extensions"][SITE.extension("persona")] == {"answer": "upset", "correct": True}
    assert chosen["result"] == {"response": "wait", "success": False}  # not the best reply there
    assert chosen["context"]["extensions"][SITE.extension("criteria")] == {
        "explains_why": {"dimension": "belief", "value": 0}}
    assert chosen["object"]["id"] == "https://academy.example/roleplays/rp-late/nodes/offer"
    assert ended["verb"]["id"].endswith("/completed") and ended["object"]["id"].endswith("/roleplays/rp-late")
    assert ended["result"]["success"] is False
    assert ended["result"]["extensions"][SITE.extension("outcome")] == "escalated"
    assert len({typed["id"], chosen["id"], ended["id"]}) == 3


def test_certificates_are_earned_and_revoked_with_their_verification_address():
    certificate = SimpleNamespace(code="abc", kind="module", subject_id="basics", title={"en": "Basics", "fa": "مبانی"},
                                  issued_at=T0, expires_at=None)
    earned = build.certificate_earned(SITE, "3f0c", certificate, "https://academy.example/verify/abc")
    assert earned["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    assert earned["object"]["id"] == "https://academy.example/achievements/module/basics"
    assert earned["result"]["extensions"] == {SITE.extension("certificate"): "https://academy.example/verify/abc"}
    revoked = build.certificate_changed(SITE, "3f0c", certificate, "https://academy.example/verify/abc", "revoked", T1)
    assert revoked["verb"]["id"] == "https://academy.example/xapi/verbs/revoked"
    assert revoked["id"] != earned["id"]
    restored = build.certificate_changed(SITE, "3f0c", certificate, "https://academy.example/verify/abc", "restored",
                                         T1)
    assert restored["verb"]["id"] == "https://academy.example/xapi/verbs/restored"
    assert restored["id"] != revoked["id"] and restored["object"] == revoked["object"]
    again = build.certificate_changed(SITE, "3f0c", certificate, "https://academy.example/verify/abc", "revoked", T0)
    assert again["id"] != revoked["id"]  # revoked, restored, revoked again: two events


def test_the_pseudonym_is_random_stable_and_one_per_person(ctx, make_user):
    first, second = make_user("sara"), make_user("omid")
    name = actor_name(first)
    assert actor_name(first) == name != actor_name(second) and len(name) == 36 and "sara" not in name
    assert db.session.scalar(select(func.count()).select_from(XapiActor)) == 2


def test_without_an_lrs_nothing_is_queued(app, make_user):
    make_user("sara", team="Alborz")
    read_lessons(signed_in(app, "sara"), "basics")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0
    assert "LMS_XAPI_ENDPOINT is not set" in app.test_cli_runner().invoke(
        args=["lms", "xapi", "resend", "--since", "2026-11-01"]).output


class FakeLRS(BaseHTTPRequestHandler):
    """Answers every PUT with the code the test asks for, and keeps what it was sent."""

    def do_PUT(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append((self.path, self.headers, body))
        self.send_response(self.server.code)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def lrs_answering(app, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), FakeLRS)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "LMS_XAPI_ENDPOINT", f"http://127.0.0.1:{server.server_port}/xAPI/")
    monkeypatch.setitem(app.config, "LMS_XAPI_USERNAME", "key")
    monkeypatch.setitem(app.config, "LMS_XAPI_PASSWORD", "secret")
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("code,delivered", [(204, True), (409, True), (400, False), (401, False), (503, False)])
def test_the_sender_puts_by_id_and_counts_a_conflict_as_delivered(app, lrs_answering, code, delivered):
    lrs_answering.code = code
    statement = {"id": SITE.statement_id("x"), "verb": {"id": "v"}}
    with app.test_request_context():
        if delivered:
            send(statement)
        else:
            with pytest.raises(RuntimeError, match=str(code)):
                send(statement)
    path, headers, body = lrs_answering.seen[0]
    assert path == f"/xAPI/statements?statementId={statement['id']}" and body == statement
    assert headers["X-Experience-API-Version"] == "1.0.3" and headers["Authorization"] == "Basic a2V5OnNlY3JldA=="


def test_a_statement_that_cannot_be_made_never_fails_the_learners_action(app, make_user, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "LMS_XAPI_ENDPOINT", "http://127.0.0.1:9/xAPI")

    def broken(catalog, read):
        raise KeyError("lesson gone")

    monkeypatch.setattr("lms.xapi.records.lesson_read", broken)
    make_user("sara", team="Alborz")
    read_lessons(signed_in(app, "sara"), "basics")  # every page answers 200
    assert "xAPI statements for _lesson were not queued" in caplog.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delivery)) == 0


@pytest.mark.parametrize("args,message", [
    (["--since", "yesterday"], "is not a date"),
    (["--since", "2026-11-02", "--until", "2026-11-01"], "must come after"),
])
def test_resend_refuses_a_period_it_cannot_read(app, monkeypatch, args, message):
    monkeypatch.setitem(app.config, "LMS_XAPI_ENDPOINT", "http://127.0.0.1:9/xAPI")
    result = app.test_cli_runner().invoke(args=["lms", "xapi", "resend", *args])
    assert result.exit_code == 2 and message in result.output
