"""The gap model: GAP_MODEL.md's worked example, its invariants as properties, the SQL
against the plain-function reference, the pages with their permissions, and the exports."""

import codecs
import csv
import io
import subprocess
from datetime import datetime

import pytest
from flask import render_template
from hypothesis import HealthCheck, given, settings as hyp_settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from lms import db
from lms.accounts.models import Team, User
from lms.db import utcnow
from lms.evidence import Evidence
from lms.gaps.reports import agent_report
from lms.gaps.scoring import GAP, OK, UNKNOWN, GapSettings, Grid, cell_from_sums, score_evidence, status_of, weight
from lms.pdf import PackagedFilesFetcher, render_pdf

from .conftest import signed_in
from .gap_helpers import evidence, forget_everyone
from .query_count import count_statements

SETTINGS = GapSettings()
NOW = datetime(2026, 11, 23, 12, 0)


# -- the rules as plain functions ---------------------------------------------------------

def test_worked_example_of_the_gap_model():
    knowledge = score_evidence([(1.0, 0)] * 11 + [(0.0, 0)], SETTINGS)
    belief = score_evidence([(0.0, 0), (0.0, 0), (0.25, 0)], SETTINGS)
    assert round(knowledge, 2) == 0.92 and status_of(knowledge, 12, SETTINGS) == OK
    assert round(belief, 2) == 0.08 and status_of(belief, 3, SETTINGS) == GAP
    grid = Grid()
    grid.cells["policies", "knowledge"] = cell_from_sums("policies", "knowledge", knowledge * 12, 12, 12, SETTINGS)
    behaviour = cell_from_sums("policies", "belief", 0.0, 2, 2, GapSettings(min_evidence=1))
    grid.behaviour_belief["policies"] = behaviour
    assert grid.knowing_doing() == ["policies"]


def test_statuses_follow_threshold_margin_and_minimum():
    assert status_of(0.69, 5, SETTINGS) == "gap"
    assert status_of(0.70, 5, SETTINGS) == "at_risk"
    assert status_of(0.79, 5, SETTINGS) == "at_risk"
    assert status_of(0.80, 5, SETTINGS) == "ok"
    assert status_of(0.10, 2, SETTINGS) == "unknown"


# Evidence values are fractions like 0, 0.25 or 2/3; rounding keeps out subnormal floats,
# which PostgreSQL refuses to multiply (underflow) and no real answer produces.
values = st.floats(0, 1).map(lambda v: round(v, 6))
ages = st.floats(0, 720)


@given(st.lists(st.tuples(values, ages), min_size=1, max_size=40))
def test_scores_stay_within_zero_and_one(evidence):
    assert 0 <= score_evidence(evidence, SETTINGS) <= 1 + 1e-9


@given(st.floats(0, 300), st.floats(0.5, 300))
def test_recent_evidence_weighs_more(age, older_by):
    # One recent 1 and one older 0: the score leans to the recent one.
    assert score_evidence([(1.0, age), (0.0, age + older_by)], SETTINGS) > 0.5
    assert weight(age, 60) > weight(age + older_by, 60)


@given(st.lists(st.tuples(values, ages), max_size=2))
def test_cells_below_the_minimum_evidence_are_unknown(evidence):
    score = score_evidence(evidence, SETTINGS)
    assert status_of(score, len(evidence), SETTINGS) == UNKNOWN


# -- the SQL against the reference --------------------------------------------------------

def add_evidence(app, user_id, rows):
    """rows: (topic, dimension, value, age_days, source)"""
    with app.app_context():
        db.session.execute(insert(Evidence), evidence(user_id, rows, NOW))
        db.session.commit()


def report_for(app, user_id, settings=SETTINGS, now=NOW):
    with app.app_context():
        return agent_report(db.session, db.session.get(User, user_id), settings, now).agents[0].grid


# Each example creates and deletes its own user, so the function-scoped fixtures are safe.
@hyp_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(values, st.floats(0, 400)), min_size=1, max_size=12))
def test_sql_scores_match_the_plain_function(app, make_user, evidence):
    user_id = make_user()
    try:
        add_evidence(app, user_id, [("product", "knowledge", v, a, "quiz") for v, a in evidence])
        cell = report_for(app, user_id).cell("product", "knowledge")
        assert cell.count == len(evidence)
        assert cell.score == pytest.approx(score_evidence(evidence, SETTINGS), abs=1e-6)
    finally:
        forget_everyone(app)


def test_worked_example_in_the_database_raises_the_knowing_doing_flag(app, make_user):
    user_id = make_user()
    rows = [("policies", "knowledge", 1.0, 0, "quiz")] * 11 + [("policies", "knowledge", 0.0, 0, "quiz")]
    rows += [("policies", "belief", 0.0, 0, "roleplay"), ("policies", "belief", 0.0, 0, "roleplay"),
             ("policies", "belief", 0.25, 0, "quiz")]
    add_evidence(app, user_id, rows)
    grid = report_for(app, user_id, GapSettings(min_evidence=2))
    assert round(grid.cell("policies", "knowledge").score, 2) == 0.92
    assert round(grid.cell("policies", "belief").score, 2) == 0.08
    assert grid.knowing_doing() == ["policies"]


def test_the_trend_compares_with_one_period_ago(app, make_user):
    user_id = make_user()
    add_evidence(app, user_id, [("product", "knowledge", 0.0, 45, "quiz")] * 3 + [("product", "knowledge", 1.0, 2, "quiz")] * 3)
    cell = report_for(app, user_id).cell("product", "knowledge")
    assert cell.previous == 0.0 and cell.trend > 0.5


# -- pages ---------------------------------------------------------------------------------

@pytest.fixture
def site(app, make_user):
    ids = {"sara": make_user("sara", team="Alborz"), "omid": make_user("omid", team="Zagros"),
           "coach": make_user("coach", role="coach", coach_of=("Alborz",)),
           "manager": make_user("manager", role="manager"),
           "far": make_user("far", role="manager", team=None, site="Other site")}
    with app.app_context():
        ids["alborz"], ids["zagros"] = (db.session.scalar(select(Team.id).where(Team.name == n))
                                        for n in ("Alborz", "Zagros"))
    add_evidence(app, ids["sara"], [("policies", "belief", 0.0, 1, "quiz")] * 3)
    return ids


client_for = signed_in


def test_an_agent_sees_their_grid_and_what_to_do(app, site):
    page = client_for(app, "sara").get("/gaps/", follow_redirects=True).get_data(as_text=True)
    assert "Knowledge, belief and support: <bdi>Sara</bdi>" in page
    assert "Gap" in page and "A 1:1 conversation about why it matters" in page
    assert "threshold 70%, half-life 60 days, minimum evidence 3" in page


def test_each_cell_opens_to_its_evidence(app, site):
    sara = client_for(app, "sara")
    page = sara.get(f"/gaps/people/{site['sara']}/policies/belief").get_data(as_text=True)
    assert page.count("Quiz item") == 3 and "Recommended actions" in page
    assert sara.get(f"/gaps/people/{site['sara']}/policies/wisdom").status_code == 404


def test_nobody_sees_a_grid_they_may_not(app, site):
    assert client_for(app, "omid").get(f"/gaps/people/{site['sara']}").status_code == 404
    coach = client_for(app, "coach")
    assert coach.get(f"/gaps/people/{site['sara']}").status_code == 200
    assert coach.get(f"/gaps/teams/{site['alborz']}").status_code == 200
    # another team, or another site's: the answer of an id of nobody, so ids say nothing
    assert coach.get(f"/gaps/teams/{site['zagros']}").status_code == 404
    assert coach.get("/gaps/site").status_code == 403
    assert client_for(app, "far").get(f"/gaps/teams/{site['alborz']}").status_code == 404
    assert client_for(app, "omid").get(f"/gaps/teams/{site['alborz']}").status_code == 403  # an agent: by role
    assert client_for(app, "manager").get("/gaps/teams/999999").status_code == 404


@pytest.mark.parametrize("as_of,status", [("2026-13-01", 400), ("yesterday", 400), ("2999-01-01", 400),
                                          ("2026-01-05", 200)])
def test_period_parameters_are_checked(app, site, as_of, status):
    assert client_for(app, "manager").get(f"/gaps/site?as_of={as_of}").status_code == status


def test_a_report_as_of_today_is_todays_report(app, site):
    manager = client_for(app, "manager")
    before = manager.get("/gaps/site?as_of=2026-01-05").get_data(as_text=True)
    assert "23:59 UTC" in before  # a past day's report stands at the end of that day
    started = utcnow()
    page = manager.get(f"/gaps/site?as_of={started.date().isoformat()}").get_data(as_text=True)
    # Today's is computed now, not as of the end of a day that has not ended yet.
    assert f"{started.strftime('%H:%M')} UTC" in page or f"{utcnow().strftime('%H:%M')} UTC" in page


def test_manager_sees_the_site_heatmap_and_shares(app, site):
    page = client_for(app, "manager").get("/gaps/site").get_data(as_text=True)
    assert "Alborz" in page and "Zagros" in page and "Top gaps" in page
    assert "50%" in page  # one of the two agents has the policies belief gap


def test_csv_export_has_every_cell_and_no_formulas(app, site):
    with app.app_context():
        db.session.get(User, site["sara"]).display_name = "=HYPERLINK(\"http://x\")"
        db.session.commit()
    response = client_for(app, "manager").get("/gaps/site/report.csv")
    lines = response.get_data(as_text=True).strip().splitlines()
    cells = [line for line in lines[1:] if not line.startswith("pulse,")]
    assert response.mimetype == "text/csv" and len(cells) == 2 * 15
    assert "'=HYPERLINK" in response.get_data(as_text=True)
    assert lines[0].startswith("\ufeffreport,team_id,team,agent_id,agent,topic,dimension,score,status")


def test_the_team_page_names_each_agent_with_a_support_gap_and_its_topics(app, site):
    add_evidence(app, site["sara"], [(topic, "support", 0.0, 1, "review") for topic in ("product", "policies")] * 3)
    page = client_for(app, "coach").get(f"/gaps/teams/{site['alborz']}").get_data(as_text=True)
    leaders = page[page.index("support-list"):]
    leaders = leaders[:leaders.index("</ul>")]
    assert "<strong><bdi>Sara</bdi></strong>: Product, Policies" in leaders
    quiet = client_for(app, "manager").get(f"/gaps/teams/{site['zagros']}").get_data(as_text=True)
    assert "No support gaps" in quiet and "support-list" not in quiet


@pytest.mark.parametrize("report", ["site", "team", "person"])
def test_every_gap_csv_opens_in_excel_with_persian_names_and_their_team(app, site, report):
    """A byte-order mark (Excel reads UTF-8 only with it) and each agent's team by name."""
    with app.app_context():
        sara = db.session.get(User, site["sara"])
        sara.display_name = "سارا رضایی"
        team_id, team_name = sara.team_id, sara.team.name
        db.session.commit()
    path = {"site": "/gaps/site/report.csv", "team": f"/gaps/teams/{team_id}/report.csv",
            "person": f"/gaps/people/{site['sara']}/report.csv"}[report]
    body = client_for(app, "manager").get(path).get_data()
    assert body.startswith(codecs.BOM_UTF8)
    rows = [r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))) if r["report"] != "pulse"]
    saras = [r for r in rows if r["agent"] == "سارا رضایی"]
    assert len(saras) == 15 and {(r["team_id"], r["team"]) for r in saras} == {(str(team_id), team_name)}


def test_pdf_report_prints_names_as_text(app, site, tmp_path):
    with app.app_context():
        db.session.get(User, site["sara"]).display_name = '<img src="file:///etc/passwd">'
        db.session.commit()
    response = client_for(app, "coach").get(f"/gaps/teams/{site['alborz']}/report.pdf")
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "team.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert '<img src="file:///etc/passwd">' in text and "threshold 70%" in text


def _ink_edges(pdf_bytes, tmp_path):
    """Each line of text on a PDF's first page, top to bottom: the left and right edge (px at
    72 dpi) of its ink."""
    (tmp_path / "page.pdf").write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", "-singlefile", str(tmp_path / "page.pdf"),
                    str(tmp_path / "page")], check=True)
    header, pixels = (tmp_path / "page.pgm").read_bytes().split(b"\n255\n", 1)
    width, height = map(int, header.split()[1:3])
    rows = [[x for x in range(width) if pixels[y * width + x] < 128] for y in range(height)]
    lines, current = [], None
    for ink in rows + [[]]:
        if ink:
            current = (min(current[0], ink[0]), max(current[1], ink[-1])) if current else (ink[0], ink[-1])
        elif current:
            lines.append(current)
            current = None
    return lines


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_names_in_a_pdf_report_line_up_on_the_pages_side_whatever_their_script(app, tmp_path, direction):
    with app.test_request_context():
        css = render_template("lms/gaps/print.css", dir=direction)
    heads = "".join(f'<tr><th class="rowhead"><bdi>{name}</bdi></th><td>x</td></tr>'
                    for name in ("Omid Jafari", "سارا رضایی"))
    html = f'<html dir="{direction}"><body class="{direction}"><table class="heatmap wide">{heads}</table></body></html>'
    english, persian = _ink_edges(render_pdf(html, css + "td { color: #fff }"), tmp_path)[:2]
    side = 0 if direction == "ltr" else 1  # English: left edges line up; Persian: right edges
    assert abs(english[side] - persian[side]) <= 2, (english, persian)


def test_the_pdf_renderer_fetches_only_packaged_files(tmp_path):
    fetcher = PackagedFilesFetcher([tmp_path])
    (tmp_path / "ok.css").write_text("p {}")
    assert fetcher.fetch((tmp_path / "ok.css").as_uri())
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.css",
                (tmp_path / ".." / "escape.css").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    html = '<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/y.png"><link rel=stylesheet href="file:///etc/hosts">'
    assert render_pdf(html, "p { color: red }").startswith(b"%PDF")


def test_site_settings_change_reports_and_bad_values_are_refused(app, site):
    from .conftest import token_for

    manager = client_for(app, "manager")
    token = token_for(manager, "/gaps/settings")
    bad = manager.post("/gaps/settings", data={"threshold": "2", "half_life_days": "0", "min_evidence": "3",
                                                "review_window_days": "3", "csrf_token": token})
    assert bad.status_code == 400 and "Number must be between" in bad.get_data(as_text=True)
    good = manager.post("/gaps/settings", data={"threshold": "0.5", "half_life_days": "30", "min_evidence": "2",
                                                 "review_window_days": "5", "followup_days": "4",
                                                 "help_window_days": "1", "csrf_token": token})
    assert good.status_code == 303
    page = manager.get("/gaps/site").get_data(as_text=True)
    assert "threshold 50%, half-life 30 days, minimum evidence 2" in page
    assert "5 days to review a typed reply, 1 to answer a help request and 4 to follow up a failed quiz" in page


def test_a_team_page_takes_the_same_few_statements_for_10_or_1000_agents(app, site):
    coach = client_for(app, "coach")
    counts = []
    for size in (10, 1000):
        with app.app_context():
            team = Team(name=f"Big {size}", site_id=db.session.get(Team, site["alborz"]).site_id)
            db.session.add(team)
            db.session.flush()
            db.session.execute(insert(User), [{"username": f"a{size}-{i}", "display_name": f"Agent {i}", "role": "agent",
                                               "locale": "en", "team_id": team.id, "site_id": team.site_id,
                                               "active": True, "created_at": NOW} for i in range(size)])
            db.session.execute(db.session.get(Team, site["alborz"]).__table__.metadata.tables["lms_team_coach"]
                               .insert(), [{"team_id": team.id, "user_id": site["coach"]}])
            user_ids = db.session.scalars(select(User.id).where(User.team_id == team.id)).all()
            db.session.execute(insert(Evidence), [
                {"user_id": uid, "item_id": f"x{k}", "topic": "product", "dimension": "knowledge", "value": 1.0,
                 "source": "quiz", "source_id": f"{uid}-{k}", "content_version": "v", "created_at": NOW}
                for uid in user_ids for k in range(3)])
            db.session.commit()
            team_id = team.id
        counts.append(count_statements(app, coach, f"/gaps/teams/{team_id}"))
    assert counts[0] == counts[1] <= 6, counts  # the gap report's five, and one for the support pulse


def test_a_remedy_links_to_its_page_only_for_those_who_may_open_it(app, team):
    """The review queue is a coach's: a manager reads that remedy on a support cell as text,
    not as a link that would answer 403."""
    cell = f"/gaps/people/{team.sara}/communication/support"
    coach, manager = (signed_in(app, name).get(cell).get_data(as_text=True) for name in ("maryam", "manager"))
    assert "Review the role-play replies that are waiting" in coach and 'href="/reviews"' in coach
    assert "Review the role-play replies that are waiting" in manager and 'href="/reviews"' not in manager
    assert signed_in(app, "manager").get("/reviews").status_code == 403
