"""The certificate lifecycle: an end date from module.yaml, reminders before it (agent and
coach, once), the renewal refresher on the agent's to-do list, expiry, renewal by passing
it, and the notifications each event sends (revoking, restoring, the manager's list and
prints: test_certificate_management.py)."""

import json
import shutil
import threading
from datetime import date, datetime, timezone

import pytest
import time_machine
from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.catalog import ContentError, load_catalog
from lms.coaching.models import Assignment, Notification
from lms.coaching.notifications import link_of, text_of
from lms.config import PROJECT_ROOT
from lms.credentials import issuing
from lms.credentials.expiry import add_months, send_reminders
from lms.credentials.models import Certificate

from .conftest import TEST_CONTENT, shown, signed_in, token_for, without_isolates
from .quiz_helpers import complete, pass_quiz

ISSUED = datetime(2026, 1, 15, 9, 0)
BASICS = {"en": "Basics", "fa": "مبانی"}


def at(moment):
    """Freeze the clock at ``moment`` (naive UTC, as the database keeps it)."""
    return time_machine.travel(moment.replace(tzinfo=timezone.utc), tick=False)


def certificates(app, **where):
    with app.app_context():
        return db.session.scalars(select(Certificate).filter_by(**where).order_by(Certificate.id)).all()


def notes(app, user_id):
    """The user's notifications as (kind, English sentence)."""
    with app.test_request_context():
        rows = db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                  .order_by(Notification.id)).all()
        return [(n.kind, without_isolates(text_of(app.extensions["lms"].catalog, n))) for n in rows]


def reminders(app):
    with app.app_context():
        return send_reminders(app.extensions["lms"].catalog)


@pytest.fixture
def people(make_user):
    return {"coach": make_user("maryam", role="coach", coach_of=("Alborz",)),
            "sara": make_user("sara", team="Alborz"),
            "parisa": make_user("parisa", team="Zagros", locale="fa"),
            "manager": make_user("manager", role="manager"),
            "admin": make_user("admin", role="admin", site="Other site")}


def give(app, user_id, expires_at=None, subject="basics", issued_at=ISSUED):
    """A certificate issued directly (no quiz), ending at ``expires_at``; its id."""
    with app.app_context():
        certificate = issuing.issue(db.session.get(User, user_id), "module", subject, BASICS, now=issued_at)
        certificate.expires_at = expires_at
        db.session.commit()
        return certificate.id


# -- the end date -------------------------------------------------------------------------

@pytest.mark.parametrize("start,months,end", [
    (datetime(2026, 1, 15, 9), 12, datetime(2027, 1, 15, 9)),
    (datetime(2026, 1, 31), 1, datetime(2026, 2, 28)),
    (datetime(2027, 8, 31), 6, datetime(2028, 2, 29)),
    (datetime(2026, 11, 30), 3, datetime(2027, 2, 28)),
    (datetime(2026, 5, 10), 120, datetime(2036, 5, 10)),
])
def test_end_dates_are_calendar_months_on(start, months, end):
    assert add_months(start, months) == end


def test_the_policies_certificate_is_renewed_yearly_with_its_refresher():
    shipped = load_catalog(PROJECT_ROOT)
    policy = shipped.modules["policies"].certificate
    assert (policy.valid_months, policy.renew_with) == (12, "policies-refresher")
    assert shipped.quizzes["policies-refresher"].kind == "refresher"
    assert shipped.modules["communication"].certificate is None


@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    return root


MODULE = "modules/basics/module.yaml"
POLICY = "certificate: {valid_months: 12, renew_with: basics-refresher}"


@pytest.mark.parametrize("new,expected", [
    ("certificate: {valid_months: 0, renew_with: basics-refresher}",
     f"{MODULE}:8: certificate.valid_months: must be a whole number of months from 1 to 120, not 0"),
    ("certificate: {valid_months: 121, renew_with: basics-refresher}",
     f"{MODULE}:8: certificate.valid_months: must be a whole number of months from 1 to 120, not 121"),
    ("certificate: {valid_months: a year, renew_with: basics-refresher}",
     f"{MODULE}:8: certificate.valid_months: must be a whole number"),
    ("certificate: {renew_with: basics-refresher}", f"{MODULE}:8: certificate.valid_months: is missing"),
    ("certificate: {valid_months: 12, renew_with: basics-refreshr}",
     f"{MODULE}:8: certificate.renew_with: no quiz or refresher 'basics-refreshr'"),
    ("certificate: {valid_months: 12, renew_with: advanced-quiz}",
     f"{MODULE}:8: certificate.renew_with: 'advanced-quiz' is neither this module's quiz nor a communication "
     "refresher"),
    ("certificate: {valid_months: 12, renew_wth: basics-refresher}",
     f"{MODULE}:8: certificate.renew_wth: is not a known field (did you mean 'renew_with'?)"),
    ("certificate: 12", f"{MODULE}:8: certificate: must be a mapping"),
])
def test_a_broken_certificate_field_is_named_with_file_line_and_field(content, new, expected):
    path = content / MODULE
    path.write_text(path.read_text(encoding="utf-8").replace(POLICY, new), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog(content)
    assert expected in [str(p) for p in caught.value.problems]


def test_renew_with_defaults_to_the_modules_own_quiz(content):
    path = content / MODULE
    path.write_text(path.read_text(encoding="utf-8").replace(POLICY, "certificate: {valid_months: 6}"),
                    encoding="utf-8")
    assert load_catalog(content).modules["basics"].certificate.renew_with == "basics-quiz"


# -- Done means: reminded, expired, renewed ------------------------------------------------

def test_a_certificate_is_reminded_once_expires_and_a_refresher_pass_renews_it(app, people):
    with at(ISSUED):
        complete(app, signed_in(app, "sara"))  # basics: valid 12 months, renewed with its refresher
    [old] = certificates(app)
    assert old.expires_at == datetime(2027, 1, 15, 9, 0)
    assert notes(app, people["sara"])[-1] == ("certificate_issued",
                                              "Your certificate “Basics” is ready; it is valid until Jan 15, 2027.")

    with at(datetime(2026, 11, 30, 7)):  # 46 days before: not yet
        assert reminders(app) == {"expiring": 0, "expired": 0}
    with at(datetime(2026, 12, 20, 7)):  # 26 days before: inside the 30-day window
        assert reminders(app) == {"expiring": 1, "expired": 0}
        assert reminders(app) == {"expiring": 0, "expired": 0}  # a second run tells no one again
        sara = signed_in(app, "sara")
        todo = sara.get("/todo").get_data(as_text=True)
        mine = sara.get("/certificates").get_data(as_text=True)
    assert "Basics refresher" in todo
    assert "Expiring soon" in mine and "Valid until Jan 15, 2027" in mine and "/quizzes/basics-refresher" in mine
    expiring = "Your certificate “Basics” expires on Jan 15, 2027. Pass “Basics refresher” to renew it: it is on " \
               "your to-do list."
    assert [n for n in notes(app, people["sara"]) if n[0] == "certificate_expiring"] == [
        ("certificate_expiring", expiring)]
    assert notes(app, people["coach"]) == [("certificate_expiring", "Sara's certificate “Basics” expires on Jan 15, "
                                            "2027. “Basics refresher” is on their to-do list to renew it.")]
    with app.app_context():
        [assignment] = db.session.scalars(select(Assignment)).all()
        assert (assignment.user_id, assignment.kind, assignment.target_id, assignment.assigned_by_id,
                assignment.due_on) == (people["sara"], "quiz", "basics-refresher", None, date(2027, 1, 15))
        made = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "assignment.made"))
        assert (made.actor_id, made.actor_name, made.person_id) == (None, "CX Academy", people["sara"])

    with at(datetime(2027, 1, 16, 7)):  # past the end date
        assert certificates(app)[0].status_at(datetime(2027, 1, 16, 7)) == "expired"
        assert reminders(app) == {"expiring": 0, "expired": 1}
        assert reminders(app) == {"expiring": 0, "expired": 0}
        assert app.test_client().get(f"/verify/{old.code}").get_data(as_text=True).count("expired on") == 1
        pass_quiz(app, signed_in(app, "sara"), "basics-refresher")

    old, new = certificates(app)
    assert old.renewed_by_id == new.id and new.code != old.code
    assert (new.status_at(datetime(2027, 1, 16, 7)), new.expires_at) == ("valid", datetime(2028, 1, 16, 7))
    assert notes(app, people["sara"])[-1] == ("certificate_renewed", "Your certificate “Basics” is renewed; the new "
                                                                     "one is valid until Jan 16, 2028.")
    with app.app_context():
        renewed = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "certificate.renewed"))
        assert renewed.before == {"code": old.code, "expires_at": "2027-01-15T09:00:00", "status": "expired"}
        assert renewed.after == {"code": new.code, "expires_at": "2028-01-16T07:00:00", "status": "valid"}
        assert db.session.scalars(select(Assignment.completed_at)).one() is not None  # off the to-do list
    with at(datetime(2027, 1, 16, 8)):
        assert "Renewed" in signed_in(app, "sara").get("/certificates").get_data(as_text=True)
        assert "replaced by a renewed one" in app.test_client().get(f"/verify/{old.code}").get_data(as_text=True)


def test_a_missed_run_catches_up_with_one_expired_notice(app, people):
    give(app, people["sara"], expires_at=datetime(2026, 3, 1))
    with at(datetime(2026, 3, 10)):
        first = app.test_cli_runner().invoke(args=["lms", "certificate-reminders"])
        assert first.output == "Certificates ending soon: 0 reminded; ended: 1 told.\n"
        assert reminders(app) == {"expiring": 0, "expired": 0}
    assert [k for k, _text in notes(app, people["sara"])] == ["certificate_issued", "certificate_expired"]
    assert notes(app, people["coach"])[0][1].startswith("Sara's certificate “Basics” expired on Mar 1, 2026.")
    with app.app_context():  # due today, not in the past
        assert db.session.scalars(select(Assignment.due_on)).one() == date(2026, 3, 10)


def test_runs_at_the_same_moment_tell_each_person_once(app, people, make_user):
    holders = [people["sara"]] + [make_user(f"agent{i}", team="Alborz") for i in range(7)]
    for holder in holders:
        give(app, holder, expires_at=datetime(2026, 3, 1))
    barrier, told = threading.Barrier(4), []

    def run():
        barrier.wait()
        told.append(reminders(app)["expiring"])

    with at(datetime(2026, 2, 15)):
        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(told) == len(holders)
    with app.app_context():
        kinds = db.session.scalars(select(Notification.kind).where(Notification.kind == "certificate_expiring")).all()
        assert len(kinds) == 2 * len(holders)  # each agent and their coach, once
        assert len(db.session.scalars(select(Assignment)).all()) == len(holders)


def test_an_open_assignment_of_the_refresher_is_not_made_twice(app, people):
    from lms.coaching import assigning

    give(app, people["sara"], expires_at=datetime(2026, 3, 1))
    with app.app_context():
        assigning.assign(db.session.get(User, people["coach"]), [db.session.get(User, people["sara"])],
                         assigning.find_target(app.extensions["lms"].catalog, "quiz:basics-refresher"),
                         date(2026, 2, 20), now=datetime(2026, 2, 10))
    with at(datetime(2026, 2, 15)):
        assert reminders(app) == {"expiring": 1, "expired": 0}
    with app.app_context():
        assert len(db.session.scalars(select(Assignment)).all()) == 1


def test_a_pass_before_the_reminder_window_or_of_an_unrelated_quiz_renews_nothing(app, people):
    with at(ISSUED):
        sara = signed_in(app, "sara")
        complete(app, sara)
        pass_quiz(app, sara, "basics-refresher")
    assert len(certificates(app)) == 1


def test_a_revoked_certificate_is_not_renewed_by_a_pass(app, people):
    certificate_id = give(app, people["sara"], expires_at=datetime(2026, 3, 1))
    with app.app_context():
        issuing.revoke(db.session.get(Certificate, certificate_id), "Wrong person",
                       db.session.get(User, people["manager"]))
    with at(datetime(2026, 3, 2)):
        assert reminders(app) == {"expiring": 0, "expired": 0}
        with app.app_context():
            assert issuing.renew_on_pass(app.extensions["lms"].catalog, people["sara"], "basics-refresher") == []


def test_two_renewals_of_the_same_certificate_make_one_new_certificate(app, people):
    certificate_id = give(app, people["sara"], expires_at=datetime(2026, 3, 1))
    with app.app_context():
        catalog = app.extensions["lms"].catalog
        seen = db.session.get(Certificate, certificate_id)  # as two workers saw it, both before renewing
        first = issuing.renew(catalog, seen, now=datetime(2026, 3, 2))
        second = issuing.renew(catalog, seen, now=datetime(2026, 3, 2))
        assert second.id == first.id
        db.session.commit()  # renewing writes in the caller's transaction
    assert [c.status_at(datetime(2026, 3, 2)) for c in certificates(app)] == ["renewed", "valid"]


def test_the_open_badge_ends_when_the_certificate_does(app, people):
    code = certificates(app, id=give(app, people["sara"], datetime(2027, 1, 15, 9)))[0].code
    badge = json.loads(signed_in(app, "sara").get(f"/certificates/{code}/badge.json").data)
    assert badge["validUntil"] == "2027-01-15T09:00:00Z"


# -- notifications ------------------------------------------------------------------------

def test_a_coachs_review_of_a_typed_reply_is_told_to_the_agent(app, people):
    from lms.roleplays.models import RoleplayStep

    from .test_roleplays import play

    sara = signed_in(app, "sara")
    run_id = play(sara, {"typed": "I'm so sorry, I will fix it now.", "persona": "upset"}, {"choice": "code"})
    with app.app_context():
        step_id = db.session.scalar(select(RoleplayStep.id).where(RoleplayStep.typed_reply.is_not(None)))
    coach = signed_in(app, "maryam")
    assert coach.post(f"/reviews/{step_id}", data={"score-empathy": "2", "score-explains_why": "1",
                                                   "csrf_token": token_for(coach, "/reviews")}).status_code == 303
    assert notes(app, people["sara"]) == [("reviewed", "Maryam reviewed your reply in “The late kettle”.")]
    assert "Maryam reviewed your reply" in shown(sara.get("/notifications"))
    with app.test_request_context():
        note = db.session.scalars(select(Notification)).one()
        assert link_of(note) == f"/roleplays/rp-late/runs/{run_id}"  # the debrief, with the review


def test_certificate_notices_reach_the_digest_in_the_holders_language(app, people):
    from lms.coaching.digests import send_digests

    with app.app_context():
        for user_id in (people["sara"], people["parisa"]):
            db.session.get(User, user_id).email = f"{user_id}@example.com"
        db.session.commit()
    give(app, people["sara"], datetime(2026, 3, 1))
    give(app, people["parisa"], datetime(2026, 3, 1))
    with at(datetime(2026, 2, 20)):
        reminders(app)
        mails = []
        with app.app_context():
            send_digests(app.extensions["lms"].catalog, date(2026, 2, 20), dry_run=True, echo=mails.append)
    sara, parisa = sorted(mails, key=lambda mail: "مبانی" in mail)
    assert "Your certificate “Basics” expires on Mar 1, 2026." in " ".join(sara.split())
    assert "مبانی" in parisa and "۱۴۰۴" in parisa
