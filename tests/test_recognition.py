"""Recognition by name: the rules of a praise record, who may record and acknowledge it, the
pages (bad input writes nothing; out-of-reach ids answer as missing ones), the support signal
a leader's backing gives the gap report, the month's counts and CSV, the monthly sheet and the
count on the next certificate."""

import csv
import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lms import db
from lms.accounts.permissions import can_praise, praisable_agents
from lms.credentials import issuing
from lms.credentials.models import Certificate
from lms.credentials.render import certificates_pdf
from lms.db import utcnow
from lms.evidence import Evidence
from lms.gaps.queries import cell_evidence
from lms.gaps.reports import agent_report
from lms.gaps.scoring import GapSettings
from lms.recognition import recording
from lms.recognition.models import Praise
from lms.recognition.rules import check_praise, month_of, parse_month
from lms.values import FieldError, Invalid

from .coaching_helpers import count, users
from .conftest import shown, signed_in, token_for

TODAY = date(2026, 12, 4)
GOOD = {"said": "Sara sorted my refund in one call, thank you!", "channel": "phone", "received_on": "2026-12-01",
        "case_ref": " CR-1042 ", "topic": "problem_solving"}


def fields(**changes):
    return dict(GOOD, **changes)


# -- the rules, as plain functions ------------------------------------------------------------

def test_a_good_record_is_cleaned():
    assert check_praise(today=TODAY, **GOOD) == {
        "said": GOOD["said"], "channel": "phone", "received_on": date(2026, 12, 1), "case_ref": "CR-1042",
        "topic": "problem_solving"}
    assert check_praise(today=TODAY, **fields(case_ref="  "))["case_ref"] is None


def test_a_jalali_date_in_persian_digits_is_read_as_elsewhere():
    assert check_praise(today=TODAY, **fields(received_on="۱۴۰۵/۰۹/۱۰"))["received_on"] == date(2026, 12, 1)


@pytest.mark.parametrize("changes, field", [
    ({"said": "   "}, "said"),
    ({"said": "x" * 1001}, "said"),
    ({"channel": "pigeon"}, "channel"),
    ({"topic": "weather"}, "topic"),
    ({"received_on": ""}, "received_on"),
    ({"received_on": "yesterday"}, "received_on"),
    ({"received_on": "2026-02-30"}, "received_on"),
    ({"received_on": "2026-12-05"}, "received_on"),  # tomorrow
    ({"case_ref": "C" * 65}, "case_ref"),
])
def test_each_bad_field_is_named(app, changes, field):
    with app.test_request_context():
        with pytest.raises(Invalid) as refused:
            check_praise(today=TODAY, **fields(**changes))
    assert list(refused.value.errors) == [field]


def test_months_in_either_calendar():
    assert parse_month("2026-12", TODAY, "en") == (date(2026, 12, 1), date(2027, 1, 1))
    assert parse_month("۱۴۰۵-۰۹", TODAY, "fa") == (date(2026, 11, 22), date(2026, 12, 22))  # Azar 1405
    assert parse_month("1405-12", TODAY, "fa") == (date(2027, 2, 20), date(2027, 3, 21))  # Esfand, to Nowruz
    assert parse_month("", TODAY, "fa") == month_of(TODAY, "fa") == (date(2026, 11, 22), date(2026, 12, 22))
    assert parse_month("", TODAY, "en") == (date(2026, 12, 1), date(2027, 1, 1))


@pytest.mark.parametrize("text", ["2026-13", "2026", "1600-01", "0001-01", "december"])
def test_a_bad_month_is_refused(app, text):
    with app.test_request_context(), pytest.raises(FieldError):
        parse_month(text, TODAY, "en")


def test_who_may_record_praise(app, team, make_user):
    lead = make_user("lead", role="coach", coach_of=("Alborz",))
    far = make_user("far", role="manager", site="Other site")
    with app.app_context():
        coach, other_coach, sara, omid, parisa, manager, lead, far = users(
            team.coach, team.other_coach, team.sara, team.omid, team.parisa, team.manager, lead, far)
        assert can_praise(coach, sara) and can_praise(manager, sara) and can_praise(omid, sara)
        assert not can_praise(other_coach, sara)  # another team's coach
        assert not can_praise(far, sara)  # another site's manager
        assert not can_praise(parisa, sara)  # an agent of another team
        assert not can_praise(sara, sara)  # nobody praises themself
        assert not can_praise(omid, lead) and not can_praise(manager, coach)  # agents are praised, not leaders
        assert [a.id for a in praisable_agents(omid)] == [sara.id]
        assert {a.id for a in praisable_agents(coach)} == {sara.id, omid.id}


# -- pages ------------------------------------------------------------------------------------

def _post(client, user_id, data, **extra):
    return client.post(f"/recognition/people/{user_id}/praise",
                       data=dict(data, csrf_token=token_for(client, "/notifications"), **extra))


def test_bad_input_rerenders_with_the_error_and_writes_nothing(app, team):
    coach = signed_in(app, "maryam")
    answer = _post(coach, team.sara, fields(said="", received_on="2099-01-01"))
    assert answer.status_code == 400
    page = shown(answer)
    assert "Write what the customer said." in page and "is in the future" in page
    assert "CR-1042" in page  # what was typed is kept
    with app.app_context():
        assert count(Praise) == 0 and count(Evidence) == 0


def test_out_of_reach_ids_answer_as_missing_ones(app, team):
    reza = signed_in(app, "reza")  # coaches Zagros, not Sara's Alborz
    missing = reza.get("/recognition/people/999999/praise")
    hidden = reza.get(f"/recognition/people/{team.sara}/praise")
    assert missing.status_code == hidden.status_code == 404
    # The same page but for the path in the language switch.
    assert shown(missing).replace("999999", "ID") == shown(hidden).replace(f"/{team.sara}/", "/ID/")
    assert "Sara" not in shown(hidden)
    assert _post(reza, team.sara, GOOD).status_code == 404
    parisa = signed_in(app, "parisa")  # an agent of another team
    assert parisa.get(f"/recognition/people/{team.sara}/praise").status_code == 404
    with app.app_context():
        assert count(Praise) == 0


def test_a_colleagues_praise_waits_for_a_leader_then_counts_as_their_support(app, team):
    omid = signed_in(app, "omid")
    answer = _post(omid, team.sara, GOOD)
    assert answer.status_code == 303
    with app.app_context():
        praise = db.session.scalar(select(Praise))
        assert (praise.user_id, praise.recorded_by_id, praise.by_leader) == (team.sara, team.omid, False)
        assert count(Evidence) == 0  # a colleague is no leader: no support signal yet
    sara = signed_in(app, "sara")
    own = shown(sara.get(f"/gaps/people/{team.sara}"))
    assert GOOD["said"] in own and "recorded by <bdi>Omid</bdi>" in own and "Acknowledge" not in own
    assert "praise of you: “Sara sorted" in shown(sara.get("/notifications"))
    # Another team's coach may not acknowledge it, and learns nothing from trying.
    reza = signed_in(app, "reza")
    refused = reza.post(f"/recognition/praise/{praise.id}/acknowledge", data={"csrf_token": token_for(reza, "/notifications")})
    assert refused.status_code == 404
    assert omid.post(f"/recognition/praise/{praise.id}/acknowledge",
                     data={"csrf_token": token_for(omid, "/notifications")}).status_code == 404  # no leader
    # Sara's coach sees it on the team page, waiting, and acknowledges it.
    coach = signed_in(app, "maryam")
    with app.app_context():
        team_id = users(team.sara)[0].team_id
    team_page = shown(coach.get(f"/teams/{team_id}"))
    assert GOOD["said"] in team_page and "Acknowledge" in team_page
    done = coach.post(f"/recognition/praise/{praise.id}/acknowledge",
                      data={"csrf_token": token_for(coach, "/notifications"), "next": f"/teams/{team_id}"})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/teams/{team_id}")
    assert "acknowledged by <bdi>Maryam</bdi>" in shown(coach.get(f"/teams/{team_id}"))
    # Twice is once.
    coach.post(f"/recognition/praise/{praise.id}/acknowledge", data={"csrf_token": token_for(coach, "/notifications")})
    with app.app_context():
        rows = db.session.execute(select(Evidence.user_id, Evidence.topic, Evidence.dimension, Evidence.value,
                                         Evidence.source)).all()
        assert rows == [(team.sara, "problem_solving", "support", 1.0, "praise")]


def test_a_leaders_record_reaches_the_gap_report_as_support(app, team):
    settings = GapSettings()
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        before = agent_report(db.session, sara, settings).agents[0].grid.cell("policies", "support")
        for day in (1, 2, 3):
            recording.record(coach, sara, fields(topic="policies", received_on=(utcnow() - timedelta(days=day)).date()))
        now = utcnow()
        cell = agent_report(db.session, sara, settings, now).agents[0].grid.cell("policies", "support")
        assert cell.count == before.count + 3 and cell.score == 1.0
        assert [r.source for r in cell_evidence(db.session, now, settings, sara.id, "policies", "support")
                ].count("praise") == 3
        # Only the praised topic's support cell moves; knowledge and belief are the agent's own.
        other = agent_report(db.session, sara, settings, now).agents[0].grid.cell("product", "support")
        assert other.count == before.count
        assert count(Evidence, Evidence.dimension != "support") == 0
    page = shown(signed_in(app, "maryam").get(f"/gaps/people/{team.sara}/policies/support"))
    assert "praise of the agent" in page and "A leader backed" in page


def _praise(app, by_id, agent_id, day, said="Thank you, Sara!"):
    with app.app_context():
        by, agent = users(by_id, agent_id)
        return recording.record(by, agent, fields(received_on=day, said=said), now=utcnow()).id


def test_praise_per_agent_per_month_on_the_page_and_in_csv(app, team):
    today = utcnow().date()
    _praise(app, team.coach, team.sara, today)
    _praise(app, team.omid, team.sara, today)
    _praise(app, team.coach, team.omid, today)
    _praise(app, team.coach, team.omid, today.replace(day=1) - timedelta(days=1))  # last month
    coach = signed_in(app, "maryam")
    month = today.strftime("%Y-%m")
    rows = list(csv.reader(io.StringIO(coach.get(f"/recognition/report.csv?month={month}").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["agent_id", "agent", "team"]
    by_name = {row[1]: (row[5], row[6]) for row in rows[1:]}
    assert by_name == {"Sara": ("2", "1"), "Omid": ("1", "1")}
    page = shown(coach.get(f"/recognition/?month={month}"))
    assert "Praise per agent" in page and "Sara" in page
    bad = coach.get("/recognition/?month=2026-13")
    assert bad.status_code == 400 and "YYYY-MM" in shown(bad)
    assert coach.get("/recognition/report.csv?month=nope").status_code == 400
    # Another team's coach sees neither Sara nor Omid.
    assert "Sara" not in shown(signed_in(app, "reza").get(f"/recognition/?month={month}"))
    assert "Sara" not in signed_in(app, "reza").get(f"/recognition/report.csv?month={month}").get_data(as_text=True)


def _pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("locale, heading", [("en", "Recognised by our customers"), ("fa", "مشتریان")])
def test_the_monthly_sheet_prints_the_sites_praise(app, team, make_user, locale, heading):
    make_user("boss", role="manager", locale=locale)
    today = utcnow().date()
    _praise(app, team.coach, team.sara, today, "She called me back as promised")
    _praise(app, team.other_coach, team.parisa, today, "Parisa was patient with me")
    manager = signed_in(app, "boss")
    answer = manager.get("/recognition/sheet.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = _pdf_text(answer.data)
    assert heading in text and "She called me back as promised" in text and "Parisa was patient" in text
    # Another site's manager prints theirs: nothing of this site.
    make_user("elsewhere", role="manager", site="Other site")
    other = _pdf_text(signed_in(app, "elsewhere").get("/recognition/sheet.pdf").data)
    assert "She called me back" not in other and "Sara" not in other
    assert signed_in(app, "maryam").get("/recognition/sheet.pdf").status_code == 403


def test_the_next_certificate_counts_the_praise_since_the_last_one(app, team):
    today = utcnow().date()
    with app.app_context():
        sara = users(team.sara)[0]
        first = issuing.issue(sara, "module", "basics", {"en": "Basics"}, now=utcnow() - timedelta(days=30))
        assert first.praise_count is None
        db.session.commit()
        first_id = first.id
    _praise(app, team.coach, team.sara, today - timedelta(days=40))  # before the first certificate
    _praise(app, team.coach, team.sara, today - timedelta(days=3))
    _praise(app, team.omid, team.sara, today - timedelta(days=2))
    with app.app_context():
        sara, first = users(team.sara)[0], db.session.get(Certificate, first_id)
        second = issuing.issue(sara, "module", "advanced", {"en": "Advanced", "fa": "پیشرفته"})
        db.session.commit()
        assert (second.praise_count, second.praise_since) == (2, (utcnow() - timedelta(days=30)).date())
        english = _pdf_text(certificates_pdf([(second, "en", "Test site")]))
        persian = _pdf_text(certificates_pdf([(second, "fa", "Test site")]))
        plain = _pdf_text(certificates_pdf([(first, "en", "Test site")]))
    assert "Recognised by customers 2 times since" in english
    assert "۲" in persian and "مشتریان" in persian
    assert "Recognised" not in plain
