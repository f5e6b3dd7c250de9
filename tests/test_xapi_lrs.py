"""xAPI statements reach a real LRS (Ralph) exactly once: a scripted journey through the pages
while the LRS is down for part of it, then the sweep, a second sweep and a resend of the period."""

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import select

from lms import db
from lms.credentials import issuing
from lms.credentials.models import Certificate
from lms.accounts.models import User
from lms.db import utcnow
from lms.outbox import deliver_due
from lms.roleplays.models import RoleplayStep
from lms.xapi import records
from lms.xapi.delivery import send

from .conftest import signed_in, token_for
from .quiz_helpers import catalog, read_lessons, sheet, start, submit
from .ralph import ralph  # noqa: F401  (the fixture)
from .test_roleplays import play

BASE = "https://academy.example"
DAY = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def lrs_app(app, ralph, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "LMS_BASE_URL", BASE)
    monkeypatch.setitem(app.config, "LMS_XAPI_ENDPOINT", ralph.endpoint)
    monkeypatch.setitem(app.config, "LMS_XAPI_USERNAME", "cx-academy")
    monkeypatch.setitem(app.config, "LMS_XAPI_PASSWORD", "lrs-test-password")
    return app


def sweep(app):
    """The outbox's sweep, as cron runs it, late enough that every failed row's wait is over."""
    with app.app_context():
        return deliver_due(now=utcnow() + timedelta(days=1))


def db_certificate_code(app):
    with app.app_context():
        return db.session.scalar(select(Certificate.code))


def verbs(statements):
    return Counter(s["verb"]["id"].rsplit("/", 1)[1] for s in statements)


def ext(statement, name, part="context"):
    return statement[part]["extensions"][f"{BASE}/xapi/extensions/{name}"]


def test_a_journey_lands_in_ralph_once_though_the_lrs_was_down(lrs_app, ralph, make_user):  # noqa: F811
    app = lrs_app
    make_user("sara", team="Alborz")
    make_user("coach", role="coach", coach_of=("Alborz",))
    manager_id = make_user("manager", role="manager")

    with time_machine.travel(DAY, tick=True):  # a day of the past (sign-ins made later do not hold there)
        sara = signed_in(app, "sara")
        read_lessons(sara, "basics")  # 2 lessons
    assert sweep(app)["sent"] == 2

    ralph.stop()  # the LRS is down: the learner notices nothing
    with time_machine.travel(DAY + timedelta(minutes=10), tick=True):
        failed = start(sara)
        assert submit(sara, failed, sheet(app, failed, right=False)).status_code == 303
    with time_machine.travel(DAY + timedelta(hours=2), tick=True):  # past the retake's cooldown
        passed = start(sara)
        assert submit(sara, passed, sheet(app, passed)).status_code == 303  # module complete, certificate
        play(sara, {"typed": "I'm so sorry, I will fix it now.", "persona": "upset"}, {"choice": "code"})
    down = sweep(app)
    assert down["sent"] == 0 and down["failed"] == down["waiting"] == 2 * 6 + 1 + 1 + 3

    ralph.start()
    with app.app_context():
        step_id = db.session.scalar(select(RoleplayStep.id).where(RoleplayStep.typed_reply.is_not(None)))
    with time_machine.travel(DAY + timedelta(hours=3), tick=True):
        coach = signed_in(app, "coach")
        reviewed = coach.post(f"/reviews/{step_id}", data={"score-empathy": "2", "score-explains_why": "1",
                                                           "csrf_token": token_for(coach, "/reviews")})
        assert reviewed.status_code == 303
        with app.app_context():  # revoked, then restored: both stay told, though the row keeps one
            manager = db.session.get(User, manager_id)
            issuing.revoke(db.session.scalar(select(Certificate)), "issued in error", manager)
            issuing.restore(db.session.scalar(select(Certificate)), "it was right after all", manager)
    assert sweep(app) == {"sent": 17 + 3, "failed": 0, "waiting": 0}

    held = ralph.statements()
    assert len(held) == 2 + 2 * 6 + 1 + 1 + 3 + 1 + 2 == len({s["id"] for s in held})
    assert verbs(held) == {"experienced": 2, "attempted": 2, "failed": 1, "passed": 1, "answered": 8,
                           "completed": 2, "earned": 1, "responded": 2, "scored": 1, "revoked": 1, "restored": 1}
    # One pseudonymous account on our site's address for the learner, another for the coach.
    actors = {(s["actor"]["account"]["homePage"], s["actor"]["account"]["name"]) for s in held}
    assert len(actors) == 1 and all(home == BASE and "sara" not in name for home, name in actors)
    assert all(s["object"]["id"].startswith(BASE + "/") for s in held)  # never the request's Host

    by_verb = {verb: [s for s in held if s["verb"]["id"].endswith("/" + verb)] for verb in verbs(held)}
    fail, win = by_verb["failed"][0]["result"], by_verb["passed"][0]["result"]
    assert (fail["success"], win["success"], win["score"]["scaled"]) == (False, True, 1.0)
    assert fail["score"]["scaled"] < 0.6 and win["score"]["max"] == fail["score"]["max"] > 0
    items = catalog(app).items
    for answered in by_verb["answered"]:
        item = items[answered["object"]["id"].rsplit("/", 1)[1]]
        assert (ext(answered, "topic"), ext(answered, "dimension")) == (item.topic, item.dimension)
        assert answered["object"]["definition"]["name"]["fa"]  # names in English and Persian
    assert {ext(a, "dimension") for a in by_verb["answered"]} == {"knowledge", "belief"}
    ending = next(s for s in by_verb["completed"] if "/roleplays/" in s["object"]["id"])
    assert ext(ending, "outcome", "result") == "resolved" and ending["result"]["success"] is True
    code = db_certificate_code(app)
    assert {ext(s, "certificate", "result") for s in by_verb["earned"] + by_verb["revoked"] + by_verb["restored"]} == {
        f"{BASE}/verify/{code}"}  # the address printed on the certificate
    review = by_verb["scored"][0]
    assert review["result"]["score"]["scaled"] == 0.75
    assert ext(review, "criteria") == {"empathy": {"dimension": "knowledge", "points": 2, "max": 2},
                                       "explains_why": {"dimension": "belief", "points": 1, "max": 2}}
    assert review["context"]["instructor"]["account"]["name"] not in {name for _home, name in actors}

    # Nothing twice: a second sweep sends nothing; a resend of the period sends every
    # statement again, and the LRS still holds one copy of each.
    assert sweep(app)["sent"] == 0
    resent = app.test_cli_runner().invoke(args=["lms", "xapi", "resend", "--since", "2026-11-02",
                                                "--until", "2026-11-02"])
    assert resent.exit_code == 0 and f"Queued {len(held)} statement(s)" in resent.output, resent.output
    assert sweep(app) == {"sent": len(held), "failed": 0, "waiting": 0}
    with app.app_context():  # read a row at a time, the period still gives the same statements
        one_by_one = [s["id"] for made in records.in_period(catalog(app), datetime(2026, 11, 2), datetime(2026, 11, 3),
                                                             batch=1) for s in made]
    assert sorted(one_by_one) == sorted(s["id"] for s in held)
    again = ralph.statements()
    assert sorted(s["id"] for s in again) == sorted(s["id"] for s in held)

    # A statement whose wording changed since it was sent (a content edit) meets Ralph's 409
    # for its id: delivered, the first copy kept. Wrong credentials are a failure to retry.
    edited = dict(by_verb["earned"][0], object={**by_verb["earned"][0]["object"], "id": BASE + "/renamed"})
    with app.app_context():
        send(edited)
        app.config["LMS_XAPI_PASSWORD"] = "wrong"
        with pytest.raises(RuntimeError, match="401"):
            send(edited)
    assert sorted(s["id"] for s in ralph.statements()) == sorted(s["id"] for s in held)
