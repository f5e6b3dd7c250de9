"""Does coaching work? A gap, its remedy, new evidence, the gap closing, and the page, CSV and
PDF that show it — with a frozen clock, so the days to close are known."""

import csv
import io
from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import insert, select

from lms import db
from lms.accounts.models import Site, Team, User
from lms.coaching import assigning, one_on_ones
from lms.coaching.models import Assignment
from lms.effect.models import GapRemedy
from lms.effect.outcomes import Outcome, Tally, effectiveness
from lms.evidence import Evidence
from lms.gaps.scoring import GapSettings, score_evidence

from .coaching_helpers import catalog, users
from .conftest import shown, signed_in, token_for

T0 = datetime(2026, 3, 2, 10, 0)
SETTINGS = GapSettings()


def at(moment):
    return time_machine.travel(moment.replace(tzinfo=timezone.utc), tick=False)


def add_evidence(app, user_id, topic, dimension, values, moment, batch):
    """One evidence row per value, all at ``moment``; ``batch`` keeps their keys apart."""
    with app.app_context():
        db.session.execute(insert(Evidence), [
            {"user_id": user_id, "item_id": f"{batch}-{i}", "topic": topic, "dimension": dimension, "value": value,
             "source": "quiz", "source_id": f"{batch}", "content_version": "v", "created_at": moment}
            for i, value in enumerate(values)])
        db.session.commit()


def one_click(app, username, agent_id, topic, dimension, target):
    coach = signed_in(app, username)
    page = f"/gaps/people/{agent_id}/{topic}/{dimension}"
    return coach.post(f"/coaching/people/{agent_id}/accept",
                      data={"target": target, "dimension": dimension, "next": page, "csrf_token": token_for(coach, page)})


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_a_one_click_remedy_closes_its_gap_and_the_page_shows_before_after_and_days(app, team):
    add_evidence(app, team.sara, "communication", "knowledge", [0.0, 0.0, 0.0], T0 - timedelta(days=1), "old")
    with at(T0):
        # The report's own form posts the cell's dimension; the remedy is recorded with its score.
        assert f'name="dimension" value="knowledge"' in signed_in(app, "maryam").get(
            f"/gaps/people/{team.sara}/communication/knowledge").get_data(as_text=True)
        assert one_click(app, "maryam", team.sara, "communication", "knowledge",
                         "quiz:basics-refresher").status_code == 303
    with app.app_context():
        remedy = db.session.scalar(select(GapRemedy))
        assert (remedy.topic, remedy.dimension, remedy.kind, remedy.coach_id) == (
            "communication", "knowledge", "assignment", team.coach)
        assert (remedy.score_before, remedy.evidence_before, remedy.status_before) == (0.0, 3, "gap")
        assert remedy.assignment_id == db.session.scalar(select(Assignment.id)) and remedy.created_at == T0
    # Five days later the refresher went well; another 4 days later, we look.
    add_evidence(app, team.sara, "communication", "knowledge", [1.0] * 10, T0 + timedelta(days=5), "refresher")
    expected = score_evidence([(0.0, 6)] * 3 + [(1.0, 0)] * 10, SETTINGS)  # as of the day it closed
    with at(T0 + timedelta(days=9)), app.app_context():
        found = effectiveness(db.session.scalars(select(Team).where(Team.name == "Alborz")).all())
        [outcome] = found.outcomes
        assert outcome.recorded and outcome.before == 0.0 and outcome.cause == "knowledge"
        assert outcome.closed_at == T0 + timedelta(days=5) and abs(outcome.days_to_close - 5) < 1e-6
        assert abs(outcome.after - expected) < 1e-9 and abs(outcome.now - expected) < 1e-9
        assert found.by_kind["knowledge", "assignment"].within == 1
    with at(T0 + timedelta(days=9)):
        page = shown(signed_in(app, "maryam").get("/coaching/effectiveness"))
        assert "Sara" in page and "Closed Mar 7, 2026" in page and "in 5 days" in page
        assert "<td>0%</td>" in page and f"<td>{round(expected * 100)}%" in page
        assert "100%" in page and "(1 of 1)" in page  # the share closed within 30 days
        rows = csv_rows(signed_in(app, "manager").get("/coaching/effectiveness/report.csv"))
        assert [(r["agent"], r["cause"], r["remedy"], r["score_before"], r["days_to_close"],
                 r["closed_within_30_days"], r["recorded"]) for r in rows] == [
            ("Sara", "knowledge", "assignment", "0.0000", "5.0", "yes", "yes")]
        assert rows[0]["score_after"] == f"{expected:.4f}"
        pdf = signed_in(app, "manager").get("/coaching/effectiveness/report.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_an_open_gap_is_open_until_its_window_is_over(app, team):
    add_evidence(app, team.sara, "communication", "knowledge", [0.0, 0.0, 0.0], T0 - timedelta(days=1), "old")
    with at(T0):
        one_click(app, "maryam", team.sara, "communication", "knowledge", "quiz:basics-refresher")
    add_evidence(app, team.sara, "communication", "knowledge", [1.0], T0 + timedelta(days=2), "some")
    now = score_evidence([(0.0, 3)] * 3 + [(1.0, 0)], SETTINGS)  # below the threshold
    for days, decided in ((10, 0), (31, 1)):
        with at(T0 + timedelta(days=days)), app.app_context():
            [outcome] = effectiveness(db.session.scalar(select(Site))).outcomes
            assert outcome.closed_at is None and abs(outcome.after - now) < 1e-9
            tally = Tally()
            tally.add(outcome)
            assert (tally.decided, tally.within, tally.share_within) == (decided, 0, 0.0 if decided else None)


def test_a_1_1_on_a_belief_gap_is_recorded_with_its_cause(app, team):
    add_evidence(app, team.sara, "policies", "belief", [0.25, 0.0, 0.5], T0 - timedelta(days=2), "likert")
    with at(T0):
        coach = signed_in(app, "maryam")
        form = coach.get(f"/coaching/people/{team.sara}?topic=policies&gap=belief").get_data(as_text=True)
        assert '<option selected value="belief">' in form
        done = coach.post(f"/coaching/people/{team.sara}", data={
            "topic": "policies", "gap": "belief", "held_on": T0.date().isoformat(), "discussed": "Why the window exists",
            "next_step": "Try the role-play", "csrf_token": token_for(coach, f"/coaching/people/{team.sara}")})
        assert done.status_code == 303
    with at(T0 + timedelta(days=1)), app.app_context():
        remedy = db.session.scalar(select(GapRemedy))
        assert (remedy.kind, remedy.dimension, remedy.status_before) == ("one_on_one", "belief", "gap")
        [outcome] = effectiveness(db.session.scalar(select(Site))).outcomes
        assert outcome.cause == "belief" and outcome.kind == "one_on_one" and outcome.closed_at is None
        assert abs(outcome.before - 0.25) < 1e-9


def test_older_remedies_are_inferred_only_where_the_evidence_then_showed_a_gap(app, team):
    """Assignments and 1:1s made without a record count for the cell their content serves, when
    that cell was a gap by the evidence up to then; the score before comes from that evidence."""
    add_evidence(app, team.sara, "communication", "knowledge", [0.0, 0.0, 1.0], T0 - timedelta(days=3), "weak")
    add_evidence(app, team.omid, "communication", "knowledge", [1.0, 1.0, 1.0], T0 - timedelta(days=3), "strong")
    with at(T0), app.app_context():
        maryam, sara, omid = users(team.coach, team.sara, team.omid)
        refresher = assigning.find_target(catalog(app), "quiz:basics-refresher")
        assigning.assign(maryam, [sara, omid], refresher, T0.date() + timedelta(days=7))
        one_on_ones.log(maryam, omid, "policies", T0.date(), "talk", "next")  # no belief evidence: no gap
    with at(T0 + timedelta(days=1)), app.app_context():
        [outcome] = effectiveness(db.session.scalar(select(Site))).outcomes
        assert (outcome.agent, outcome.cause, outcome.kind, outcome.recorded) == ("Sara", "knowledge", "assignment", False)
        assert abs(outcome.before - 1 / 3) < 1e-9
    with at(T0 + timedelta(days=1)):
        page = shown(signed_in(app, "manager").get("/coaching/effectiveness"))
        assert "Sara" in page and "Omid" not in page and "Inferred" in page


def test_a_coach_sees_only_the_remedies_of_their_own_teams(app, team):
    for agent in (team.sara, team.parisa):
        add_evidence(app, agent, "communication", "knowledge", [0.0, 0.0, 0.0], T0 - timedelta(days=1), f"a{agent}")
    with at(T0):
        one_click(app, "maryam", team.sara, "communication", "knowledge", "quiz:basics-refresher")
        one_click(app, "reza", team.parisa, "communication", "knowledge", "quiz:basics-refresher")
    with at(T0 + timedelta(days=1)):
        mine = shown(signed_in(app, "maryam").get("/coaching/effectiveness"))
        theirs = shown(signed_in(app, "reza").get("/coaching/effectiveness"))
        site = shown(signed_in(app, "manager").get("/coaching/effectiveness"))
        assert "Sara" in mine and "پریسا" not in mine and "Parisa" not in mine
        assert "Sara" not in theirs and "Parisa" in theirs
        assert "Sara" in site and "Parisa" in site
        assert [r["agent"] for r in csv_rows(signed_in(app, "maryam").get("/coaching/effectiveness/report.csv"))] == ["Sara"]
        assert signed_in(app, "sara").get("/coaching/effectiveness").status_code == 403


def test_the_page_speaks_persian(app, team):
    add_evidence(app, team.parisa, "communication", "knowledge", [0.0, 0.0, 0.0], T0 - timedelta(days=1), "p")
    with at(T0):
        one_click(app, "reza", team.parisa, "communication", "knowledge", "quiz:basics-refresher")
    with app.app_context():
        db.session.get(User, team.other_coach).locale = "fa"
        db.session.commit()
    with at(T0 + timedelta(days=1)):
        page = shown(signed_in(app, "reza").get("/coaching/effectiveness"))
    assert "آیا مربی‌گری نتیجه می‌دهد؟" in page and "۰٪" in page


def test_rules_of_a_single_outcome():
    def outcome(days_to_close, age_days, before=0.2, at_close=0.8, now=0.75):
        return Outcome(1, "A", None, 2, "C", "product", "knowledge", "assignment", None, T0, True, before, now,
                       at_close, None if days_to_close is None else T0 + timedelta(days=days_to_close),
                       days_to_close, age_days)

    quick, slow, young, old = outcome(4, 40), outcome(35, 40), outcome(None, 10), outcome(None, 45)
    assert quick.closed_within() and quick.decided() and quick.after == 0.8 and abs(quick.change - 0.6) < 1e-9
    assert not slow.closed_within() and slow.decided()
    assert not young.decided() and young.after == 0.75
    assert not old.closed_within() and old.decided()
    tally = Tally()
    for each in (quick, slow, young, old):
        tally.add(each)
    assert (tally.remedies, tally.closed, tally.decided, tally.within) == (4, 2, 3, 1)
    assert tally.median_days == 19.5 and abs(tally.share_within - 1 / 3) < 1e-9
