"""The support pulse: answered once a period by agents of a team, stored so no answer can be
tied to a person, and shown to coaches and managers only for ended periods and only from 5
respondents up — in pages, CSV and PDF alike. It never reaches an agent's own cells."""

import csv
import io
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select

from lms import db
from lms.accounts.models import User
from lms.db import utcnow
from lms.evidence import Evidence
from lms.gaps.queries import cell_evidence
from lms.gaps.scoring import GapSettings
from lms.pulse import answering
from lms.pulse.models import PulseReceipt, PulseTally

from .coaching_helpers import catalog, count
from .conftest import signed_in, token_for
from .quiz_helpers import sheet, start, submit


def test_periods_run_back_to_back_from_1970():
    assert answering.period_start(date(1970, 1, 1), 30) == date(1970, 1, 1)
    assert answering.period_start(date(1970, 1, 31), 30) == date(1970, 1, 31)
    start = answering.period_start(date(2026, 12, 3), 30)
    assert start <= date(2026, 12, 3) < start + timedelta(days=30) and (start - date(1970, 1, 1)).days % 30 == 0


def test_no_table_ties_an_answer_to_a_person(app):
    with app.app_context():
        receipt = {c["name"] for c in inspect(db.session.get_bind()).get_columns("lms_pulse_receipt")}
        tally = {c["name"] for c in inspect(db.session.get_bind()).get_columns("lms_pulse_tally")}
    assert receipt == {"id", "user_id", "team_id", "period_start"}  # who answered, not what
    assert "user_id" not in tally and "answered_at" not in tally  # what was answered, not by whom


def last_period(app):
    """A moment in the period before this one: the one reports show."""
    pulse = catalog(app).pulse
    return utcnow() - timedelta(days=pulse.period_days)


def answer_as(app, user_id, values, when=None):
    """values: item id -> 1..5 (the test content's pulse has pulse-practice, pulse-backed, pulse-alone)."""
    with app.app_context():
        answering.answer(db.session.get(User, user_id), catalog(app).pulse, values, when or last_period(app))


@pytest.fixture
def teams(make_user):
    """Alborz with 5 agents, Zagros with 4, their coaches and a manager."""
    alborz = [make_user(f"a{n}", team="Alborz") for n in range(5)]
    zagros = [make_user(f"z{n}", team="Zagros") for n in range(4)]
    make_user("maryam", role="coach", coach_of=("Alborz",))
    make_user("reza", role="coach", coach_of=("Zagros",))
    make_user("manager", role="manager")
    return alborz, zagros


def test_an_agent_answers_once_a_period_from_the_to_do_list(app, teams):
    alborz, _ = teams
    agent = signed_in(app, "a0")
    assert "Support pulse" in agent.get("/todo").get_data(as_text=True)
    page = agent.get("/pulse").get_data(as_text=True)
    assert "Confidential: your coach sees only team totals." in page and "my coach practised a hard call" in page
    data = {"item-pulse-practice": "4", "item-pulse-alone": "2", "csrf_token": token_for(agent, "/pulse")}
    assert agent.post("/pulse", data=data).status_code == 303
    assert agent.post("/pulse", data=data).status_code == 200  # the page again, saying it is answered
    assert "You have answered this month" in agent.get("/pulse").get_data(as_text=True)
    assert "Support pulse" not in agent.get("/todo").get_data(as_text=True)
    with app.app_context():
        assert count(PulseReceipt) == 1
        tallies = {(t.item_id, t.answer, t.count) for t in db.session.scalars(select(PulseTally)) if t.count}
        assert tallies == {("pulse-practice", 4, 1), ("pulse-alone", 2, 1)}
        assert count(PulseTally) == 3 * 5  # every item x every answer, written at once (tally.py)
        assert count(Evidence) == 0  # nothing reaches the agent's own cells


def test_answering_twice_at_once_counts_once(app, teams):
    alborz, _ = teams
    answer_as(app, alborz[0], {"pulse-practice": 5})
    with pytest.raises(answering.AlreadyAnswered):
        answer_as(app, alborz[0], {"pulse-practice": 1})
    with app.app_context():
        assert [(t.answer, t.count) for t in db.session.scalars(select(PulseTally)) if t.count] == [(5, 1)]


def test_only_agents_of_a_team_are_asked(app, teams, make_user):
    make_user("loner")
    assert signed_in(app, "loner").get("/pulse").status_code == 403
    assert signed_in(app, "maryam").get("/pulse").status_code == 403
    assert "Support pulse" not in signed_in(app, "loner").get("/todo").get_data(as_text=True)


def pulse_rows(csv_text):
    return [row for row in csv.DictReader(io.StringIO(csv_text.removeprefix("\ufeff"))) if row["report"] == "pulse"]


def test_a_team_below_five_respondents_shows_nothing_in_page_csv_or_pdf(app, teams, tmp_path):
    alborz, zagros = teams
    for user_id in zagros:  # 4 respondents
        answer_as(app, user_id, {"pulse-practice": 1, "pulse-backed": 1, "pulse-alone": 5})
    with app.app_context():
        team_id = db.session.get(User, zagros[0]).team_id
    coach = signed_in(app, "reza")
    page = coach.get(f"/gaps/teams/{team_id}").get_data(as_text=True)
    assert "Support pulse" in page and "Not enough answers" in page
    section = page[page.index("Support pulse"):]
    assert "0%" not in section and "٪" not in section
    rows = pulse_rows(coach.get(f"/gaps/teams/{team_id}/report.csv").get_data(as_text=True))
    assert rows and all(r["score"] == "" and r["status"] == "not_enough_answers" for r in rows)
    pdf = tmp_path / "team.pdf"
    pdf.write_bytes(coach.get(f"/gaps/teams/{team_id}/report.pdf").get_data())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Not enough answers" in " ".join(text.split())


def test_a_team_of_five_shows_its_ended_period_and_the_site_adds_only_such_teams(app, teams):
    alborz, zagros = teams
    for user_id in alborz:
        answer_as(app, user_id, {"pulse-practice": 5, "pulse-backed": 4, "pulse-alone": 2})
    for user_id in zagros[:3]:
        answer_as(app, user_id, {"pulse-practice": 1, "pulse-backed": 1, "pulse-alone": 5})
    answer_as(app, zagros[3], {"pulse-practice": 1}, when=utcnow())  # this period: not shown yet
    with app.app_context():
        alborz_id = db.session.get(User, alborz[0]).team_id
    page = signed_in(app, "maryam").get(f"/gaps/teams/{alborz_id}").get_data(as_text=True)
    section = page[page.index("Support pulse"):]
    assert "Not enough answers" not in section
    # problem_solving: one item rated 5 -> 100%; policies: backed 4 -> 0.75, alone 2 reversed -> 0.75.
    assert ">100%" in section and ">75%" in section
    site_rows = pulse_rows(signed_in(app, "manager").get("/gaps/site/report.csv").get_data(as_text=True))
    whole = {r["topic"]: r for r in site_rows if r["team_id"] == ""}
    assert whole["problem_solving"]["score"] == "1.0000" and whole["problem_solving"]["evidence"] == "5"
    zagros_rows = [r for r in site_rows if r["agent"] == "Zagros"]
    assert all(r["score"] == "" and r["evidence"] == "3" for r in zagros_rows)


def test_pulse_answers_never_reach_an_agents_page_and_quiz_answers_never_reach_support(app, teams):
    alborz, _ = teams
    for user_id in alborz:
        answer_as(app, user_id, {"pulse-practice": 1})
    agent = signed_in(app, "a0")
    attempt_id = start(agent)
    submit(agent, attempt_id, sheet(app, attempt_id))
    assert "Support pulse" not in agent.get(f"/gaps/people/{alborz[0]}").get_data(as_text=True)
    with app.app_context():
        for topic in ("communication", "problem_solving", "policies"):
            sources = {r.source for r in cell_evidence(db.session, utcnow(), GapSettings(), alborz[0], topic,
                                                       "support")}
            assert sources <= {"coaching_contact", "followup", "help", "review_wait"}
        assert not db.session.scalar(select(Evidence.id).where(Evidence.dimension == "support"))
