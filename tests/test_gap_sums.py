"""The running sums the database keeps per agent x topic x dimension (lms.gaps.folding): a
report of the present read from them says exactly what folding every evidence row says, however
the evidence was written, after a change of half-life, and far beyond float range."""

import math
import random
from datetime import timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings as hyp_settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select, update

from lms import db
from lms.accounts.models import User
from lms.coaching.models import HelpRequest
from lms.catalog import DIMENSIONS, TOPICS
from lms.db import utcnow
from lms.gaps.folding import rebuild
from lms.evidence import Evidence
from lms.gaps.models import EvidenceCell, GapSetting
from lms.gaps.reports import agent_report, site_report, site_settings, team_report
from lms.gaps.scoring import GapSettings, Grid, cell_from_parts, score_evidence
from lms.migrate import downgrade, upgrade

from .conftest import signed_in, token_for
from .gap_helpers import evidence, forget_everyone

SOURCES = ("quiz", "roleplay", "review", "practice")


def write(rows, how):
    """Write evidence the ways the app and an import do: one ORM object at a time, or in bulk."""
    if not rows:
        return
    if how == "orm":
        for row in rows:
            db.session.add(Evidence(**row))
            db.session.flush()
    else:
        db.session.execute(insert(Evidence), rows)
    db.session.commit()


def both_reports(user_id, settings=None):
    """The report of the present (running sums) and the same moment folded from every row."""
    user = db.session.get(User, user_id)
    settings = settings or site_settings(db.session, user.site_id)
    present = agent_report(db.session, user, settings)
    folded = agent_report(db.session, user, settings, present.computed_at)
    return present.agents[0].grid, folded.agents[0].grid


def assert_same(grid, reference):
    assert grid.cells.keys() == reference.cells.keys()
    for key, cell in reference.cells.items():
        mine = grid.cells[key]
        assert (mine.count, mine.status) == (cell.count, cell.status), key
        for a, b in ((mine.score, cell.score), (mine.previous, cell.previous)):
            assert (a is None) == (b is None) and (a is None or math.isclose(a, b, abs_tol=1e-9)), (key, a, b)
    assert grid.behaviour_belief.keys() == reference.behaviour_belief.keys()
    for topic, cell in reference.behaviour_belief.items():
        assert math.isclose(grid.behaviour_belief[topic].score, cell.score, abs_tol=1e-9)


rows_strategy = st.lists(st.tuples(st.sampled_from(TOPICS[:2]), st.sampled_from(DIMENSIONS),
                                   st.floats(0, 1).map(lambda v: round(v, 6)), st.floats(0, 400),
                                   st.sampled_from(SOURCES)), min_size=1, max_size=30)


@hyp_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, how=st.sampled_from(("orm", "bulk")), seed=st.integers(0, 1000))
def test_running_sums_say_what_folding_every_row_says(app, make_user, rows, how, seed):
    user_id = make_user()
    try:
        with app.app_context():
            written = evidence(user_id, rows, utcnow())
            random.Random(seed).shuffle(written)  # out of order: older evidence arriving late
            half = len(written) // 2
            write(written[:half], how)
            write(written[half:], "orm" if how == "bulk" else "bulk")
            assert_same(*both_reports(user_id))
            rebuild(db.session)  # as the nightly refold does: everything a period old settled
            db.session.commit()
            assert_same(*both_reports(user_id))
            stored = db.session.scalar(select(func.sum(EvidenceCell.n)).where(EvidenceCell.user_id == user_id))
            assert stored == len(rows)
    finally:
        forget_everyone(app)


def test_a_change_of_half_life_folds_the_site_again(app, make_user):
    user_id = make_user("manager", role="manager")
    agent = make_user("sara")
    with app.app_context():
        write(evidence(agent, [("product", "knowledge", 1.0, 3, "quiz"), ("product", "knowledge", 0.0, 90, "quiz"),
                               ("product", "knowledge", 0.0, 200, "quiz")], utcnow()), "bulk")
        before = both_reports(agent)[0].cell("product", "knowledge").score
    manager = signed_in(app, "manager")
    token = token_for(manager, "/gaps/settings")
    response = manager.post("/gaps/settings", data={
        "threshold": "0.7", "half_life_days": "7", "min_evidence": "3", "review_window_days": "3",
        "followup_days": "7", "help_window_days": "2", "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(EvidenceCell.half_life_days).where(EvidenceCell.user_id == agent)) == 7
        grid, reference = both_reports(agent)
        assert_same(grid, reference)
        # A week's half-life: the recent right answer outweighs the old wrong ones far more.
        assert grid.cell("product", "knowledge").score > before
    assert user_id


def test_sums_made_with_another_half_life_are_not_trusted(app, make_user):
    agent = make_user("sara")
    with app.app_context():
        write(evidence(agent, [("product", "knowledge", 1.0, 1, "quiz"), ("product", "knowledge", 0.0, 60, "quiz"),
                               ("product", "knowledge", 0.0, 61, "quiz")], utcnow()), "bulk")
        site_id = db.session.get(User, agent).site_id
        # Changed behind the settings page's back (a script, a restore): no refold happened.
        db.session.add(GapSetting(site_id=site_id, threshold=0.7, half_life_days=5, min_evidence=3,
                                  review_window_days=3))
        db.session.commit()
        grid, reference = both_reports(agent)
        assert_same(grid, reference)
        assert grid.cell("product", "knowledge").score == pytest.approx(
            score_evidence([(1.0, 1), (0.0, 60), (0.0, 61)], GapSettings(half_life_days=5)), abs=1e-6)


def test_evidence_thousands_of_half_lives_old_neither_fails_nor_vanishes(app, make_user):
    # PostgreSQL raises an error where a float underflows; weights that faded are 0 instead,
    # and a cell whose evidence is all that old still has the mean of it.
    agent = make_user("sara")
    with app.app_context():
        db.session.add(GapSetting(site_id=db.session.get(User, agent).site_id, threshold=0.7, half_life_days=1,
                                  min_evidence=1, review_window_days=3))
        db.session.commit()
        write(evidence(agent, [("policies", "belief", 1.0, 3000, "roleplay"), ("policies", "belief", 0.0, 3000, "roleplay"),
                               ("policies", "belief", 1.0, 3000, "roleplay"), ("product", "knowledge", 0.0, 2900, "quiz"),
                               ("product", "knowledge", 1.0, 0, "quiz")], utcnow()), "orm")
        grid, reference = both_reports(agent)
        assert_same(grid, reference)
        assert grid.cell("policies", "belief").score == pytest.approx(2 / 3)
        assert grid.behaviour_belief["policies"].score == pytest.approx(2 / 3)
        assert grid.cell("product", "knowledge").score == pytest.approx(1.0)


def test_a_rebuild_gives_the_sums_the_trigger_kept(app, make_user):
    agents = [make_user(f"agent{i}") for i in range(3)]
    rng = random.Random(3)
    with app.app_context():
        for agent in agents:
            rows = [(rng.choice(TOPICS), rng.choice(DIMENSIONS), rng.random(), rng.uniform(0, 300), rng.choice(SOURCES))
                    for _ in range(40)]
            write(evidence(agent, rows, utcnow()), rng.choice(("orm", "bulk")))
        kept = db.session.execute(select(EvidenceCell).order_by(EvidenceCell.user_id, EvidenceCell.topic,
                                                                 EvidenceCell.dimension)).scalars().all()
        kept = [tuple(getattr(c, name) for name in ("user_id", "topic", "dimension", "n", "bn", "swv", "sw", "bswv", "bsw"))
                for c in kept]
        db.session.expunge_all()
        db.session.execute(update(EvidenceCell).values(n=0, swv=0.0, sw=0.0))
        rebuild(db.session)
        again = [tuple(getattr(c, name) for name in ("user_id", "topic", "dimension", "n", "bn", "swv", "sw", "bswv", "bsw"))
                 for c in db.session.execute(select(EvidenceCell).order_by(
                     EvidenceCell.user_id, EvidenceCell.topic, EvidenceCell.dimension)).scalars()]
        assert len(kept) == len(again) > 3
        for a, b in zip(kept, again):
            assert a[:5] == b[:5] and all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12) for x, y in zip(a[5:], b[5:]))


def test_the_refold_command_mends_sums_edited_outside_the_app(app, make_user):
    agent = make_user("sara", site="Tehran")
    with app.app_context():
        write(evidence(agent, [("product", "knowledge", 1.0, 2, "quiz")] * 1, utcnow()), "bulk")
        db.session.execute(update(EvidenceCell).values(n=7, swv=0.0))  # damaged by hand
        db.session.commit()
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["lms", "refold-gaps", "--site", "Nowhere"])
    assert unknown.exit_code != 0 and "no site named 'Nowhere'" in unknown.output
    result = runner.invoke(args=["lms", "refold-gaps", "--site", "Tehran"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        cell = db.session.get(EvidenceCell, (agent, "product", "knowledge"))
        assert (cell.n, cell.swv, cell.sw) == (1, 1.0, 1.0)


def test_the_migration_folds_the_evidence_already_there(app, make_user):
    agent = make_user("sara")
    with app.app_context():
        db.session.remove()
        downgrade("e283eefbf1ae")
        db.session.execute(insert(Evidence.__table__), evidence(agent, [("product", "knowledge", 1.0, 2, "quiz"),
                                                                         ("product", "knowledge", 0.0, 5, "quiz")],
                                                                utcnow()))
        db.session.commit()
        upgrade()
        cell = db.session.get(EvidenceCell, (agent, "product", "knowledge"))
        assert cell.n == 2 and cell.swv / cell.sw == pytest.approx(
            score_evidence([(1.0, 2), (0.0, 5)], GapSettings()), abs=1e-6)


# -- the arithmetic as plain functions ------------------------------------------------------

def test_recorded_sums_and_signals_combine_into_the_reference_mean():
    settings, now_day = GapSettings(), 20_000.0
    recorded = [(1.0, 10.0), (0.0, 40.0), (1.0, 45.0)]  # (value, age)
    signals = [(0.0, 2.0), (1.0, 35.0)]

    def sums(rows, day):
        """Sums of (value, age) rows with weights relative to ``day`` (days since 1970)."""
        weights = [(v, 0.5 ** ((day - (now_day - age)) / settings.half_life_days)) for v, age in rows]
        return sum(v * w for v, w in weights), sum(w for _, w in weights)

    def old(rows):
        return [(v, age) for v, age in rows if age >= settings.period_days]

    # Recorded sums are relative to their newest evidence, signals' to now.
    newest, settled_newest = now_day - 10.0, now_day - 40.0
    cell = cell_from_parts("product", "knowledge", (3, newest, *sums(recorded, newest)),
                           (2, settled_newest, *sums(old(recorded), settled_newest)), settings, now_day,
                           (2, *sums(signals, now_day), 1, *sums(old(signals), now_day)))
    assert cell.count == 5
    assert cell.score == pytest.approx(score_evidence(recorded + signals, settings))
    one_period_ago = [(v, age - settings.period_days) for v, age in old(recorded + signals)]
    assert cell.previous == pytest.approx(score_evidence(one_period_ago, settings))
    alone = cell_from_parts("product", "knowledge", (3, newest, *sums(recorded, newest)),
                            (2, settled_newest, *sums(old(recorded), settled_newest)), settings)
    assert alone.score == pytest.approx(score_evidence(recorded, settings))
    assert alone.previous == pytest.approx(score_evidence(
        [(v, age - settings.period_days) for v, age in old(recorded)], settings))


def test_a_team_report_lists_its_agents_by_name(app, make_user):
    for name in ("zohreh", "amir", "bahar"):
        make_user(name, team="Alborz")
    with app.app_context():
        team_id = db.session.get(User, make_user("omid", team="Alborz")).team_id
        report = team_report(db.session, team_id, GapSettings())
        assert [agent.name for agent in report.agents] == ["Amir", "Bahar", "Omid", "Zohreh"]


def test_a_site_report_of_one_dimension_has_that_dimensions_cells_of_the_full_report(app, make_user):
    agents = [make_user(name) for name in ("sara", "neda", "omid")]
    rng = random.Random(7)
    with app.app_context():
        now = utcnow()
        for agent in agents:
            write(evidence(agent, [(rng.choice(TOPICS), rng.choice(DIMENSIONS), rng.random(), rng.uniform(0, 90),
                                    rng.choice(SOURCES)) for _ in range(40)], now), "bulk")
        # a help request left unanswered past its window: a support signal, not a recorded row
        db.session.add(HelpRequest(user_id=agents[0], subject_kind="item", subject_id="i1", topic="product",
                                   question="why?", created_at=now - timedelta(days=5)))
        db.session.commit()
        site_id = db.session.get(User, agents[0]).site_id
        settings = site_settings(db.session, site_id)
        for moment in (None, now - timedelta(days=20)):  # the stored sums, and a fold of the past
            full = {a.id: a.grid for a in site_report(db.session, site_id, settings, moment).agents}
            for dimension in DIMENSIONS:
                alone = {a.id: a.grid for a in site_report(db.session, site_id, settings, moment,
                                                           dimension=dimension).agents}
                assert alone.keys() == full.keys() == set(agents)
                for agent, grid in alone.items():
                    assert {key[1] for key in grid.cells} <= {dimension}
                    expected = Grid({key: cell for key, cell in full[agent].cells.items() if key[1] == dimension},
                                    full[agent].behaviour_belief if dimension == "belief" else {})
                    assert_same(grid, expected)
        # the help request's signal reached the support cell in both
        assert full[agents[0]].cell("product", "support").count >= 1


def test_days_since_the_last_refold_are_folded_by_the_report_for_an_agent_a_team_and_a_site(app, make_user):
    """Stored sums settle the evidence older than a period as of their refold; days later a
    report folds the rows that have become a period old since (queries._unsettled) and must
    still say what folding every row says."""
    agents = [make_user(name, team="Alborz") for name in ("sara", "neda")]
    rng = random.Random(3)
    with app.app_context():
        start = utcnow()
        for agent in agents:
            write(evidence(agent, [(rng.choice(TOPICS[:2]), rng.choice(DIMENSIONS), rng.random(),
                                    rng.uniform(20, 45), "quiz") for _ in range(30)], start), "bulk")
        rebuild(db.session)
        db.session.commit()
        user = db.session.get(User, agents[0])
        team_id, site_id = user.team_id, user.site_id
    with time_machine.travel(start + timedelta(days=8), tick=False), app.app_context():
        settings = site_settings(db.session, site_id)
        assert_same(*both_reports(agents[0], settings))
        for report in (team_report, site_report):
            scope = team_id if report is team_report else site_id
            present = {a.id: a.grid for a in report(db.session, scope, settings).agents}
            folded = {a.id: a.grid for a in report(db.session, scope, settings, utcnow()).agents}
            for agent in agents:
                assert_same(present[agent], folded[agent])
