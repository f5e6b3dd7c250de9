"""The culture pulse: answered once a period by a site's agents and coaches, stored so that no
row can be tied to a person, and reported to managers of the site only for ended periods and
only from 5 respondents up — in the page, the CSV and the PDF alike."""

import csv
import io
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import event, inspect, select, text

from lms import db
from lms.accounts.models import User
from lms.catalog import ContentError, load_catalog
from lms.db import utcnow
from lms.pulse import answering
from lms.pulse.culture_report import culture_report
from lms.pulse.models import CultureReceipt, CultureTally

from .coaching_helpers import catalog, count
from .conftest import signed_in, token_for
from .query_count import count_statements

STATEMENTS = ("c-values", "c-rewards", "c-rhythm", "c-experience", "c-customer")  # tests/data's culture pulse


def culture(app):
    return catalog(app).culture


def last_period(app):
    """A moment in the period before this one: the one reports show."""
    return utcnow() - timedelta(days=culture(app).period_days)


def answer_as(app, user_id, values, when=None):
    """values: statement id -> 1..5 (c-rewards is reversed)."""
    with app.app_context():
        answering.answer_culture(db.session.get(User, user_id), culture(app), values, when or last_period(app))


def all_five(value):
    return dict.fromkeys(STATEMENTS, value)


@pytest.fixture
def site(make_user):
    """Alborz with 5 agents, Zagros with 4, five coaches, a manager; another site's manager."""
    alborz = [make_user(f"a{n}", team="Alborz") for n in range(5)]
    zagros = [make_user(f"z{n}", team="Zagros") for n in range(4)]
    coaches = [make_user(f"coach{n}", role="coach", coach_of=("Alborz",)) for n in range(5)]
    make_user("manager", role="manager")
    make_user("elsewhere", role="manager", site="Other site")
    return alborz, zagros, coaches


def team_of(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.team_id, user.site_id


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def pdf_text(response, tmp_path):
    pdf = tmp_path / "culture.pdf"
    pdf.write_bytes(response.get_data())
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


# -- content --------------------------------------------------------------------------------

def test_the_shipped_pulse_asks_about_every_lens_in_both_languages(app):
    shipped = load_catalog(".").culture
    assert {item.lens for item in shipped.items} == {"values", "rewards", "rhythm", "experience", "customer"}
    assert all(item.text["en"] and item.text["fa"] for item in shipped.items)
    assert any(item.reversed for item in shipped.items)


def broken(tmp_path, text_of_items):
    root = tmp_path / f"content{len(list(tmp_path.iterdir()))}"
    (root / "modules").mkdir(parents=True)
    (root / "quizzes" / "pulse").mkdir(parents=True)
    (root / "quizzes" / "pulse" / "culture.yaml").write_text(
        "id: culture-pulse\nkind: culture\ntitle: {en: C, fa: ف}\nintro: {en: I, fa: م}\nperiod_days: 30\n"
        "items:\n" + text_of_items, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_catalog(root)
    return [str(problem) for problem in error.value.problems]


def test_a_broken_culture_file_names_its_file_line_and_field(tmp_path):
    items = "".join(f"  - {{id: s-{lens}, lens: {lens}, text: {{en: E, fa: ف}}}}\n"
                    for lens in ("values", "rewards", "rhythm", "experience"))
    problems = broken(tmp_path, items + "  - {id: s-x, lens: vibes, text: {en: E, fa: ف}}\n")
    assert "quizzes/pulse/culture.yaml:11: item s-x.lens: must be one of values, rewards, rhythm, experience, " \
           "customer, not 'vibes'" in problems
    problems = broken(tmp_path, items)
    assert any(p.startswith("quizzes/pulse/culture.yaml:6: items: no statement about the lens 'customer'")
               for p in problems)


# -- anonymity of what is stored ------------------------------------------------------------

def test_no_table_ties_an_answer_to_a_person(app):
    with app.app_context():
        columns = {table: {c["name"] for c in inspect(db.session.get_bind()).get_columns(table)}
                   for table in ("lms_culture_receipt", "lms_culture_tally")}
    # who answered, for which group and period: nothing of what, and no moment
    assert columns["lms_culture_receipt"] == {"id", "user_id", "site_id", "team_id", "period_start"}
    # what was answered, counted per group: no person, no moment, no id shared with a receipt
    assert columns["lms_culture_tally"] == {"id", "site_id", "team_id", "period_start", "item_id", "lens", "reversed",
                                            "answer", "count"}


def tally_layout(app, team_id):
    with app.app_context():
        return [(t.item_id, t.answer) for t in db.session.scalars(
            select(CultureTally).where(CultureTally.team_id == team_id).order_by(CultureTally.id))]


def test_rows_are_laid_out_alike_whatever_the_first_person_answered(app, site):
    """Rows made as values are first chosen would show, by their order, what the first
    respondent (the first receipt) answered. They are all made at the first answer instead."""
    alborz, zagros, _ = site
    answer_as(app, alborz[0], {"c-values": 5, "c-rewards": 1})
    answer_as(app, zagros[0], {"c-customer": 2})
    alborz_rows, zagros_rows = tally_layout(app, team_of(app, alborz[0])[0]), tally_layout(app, team_of(app, zagros[0])[0])
    assert alborz_rows == zagros_rows == [(item, value) for item in STATEMENTS for value in range(1, 6)]


def test_every_answer_rewrites_every_row_of_its_group(app, site):
    """On PostgreSQL a row's xmin names the transaction that last wrote it, as the receipt's
    does: were only the chosen rows written, their xmin would match the answerer's receipt."""
    alborz, _, _ = site
    for n, user_id in enumerate(alborz[:3]):
        answer_as(app, user_id, {"c-values": n + 1, "c-rhythm": 5 - n})
    team_id, _ = team_of(app, alborz[0])
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("xmin is PostgreSQL's")
        marks = db.session.execute(text("SELECT DISTINCT xmin::text FROM lms_culture_tally WHERE team_id = :t"),
                                   {"t": team_id}).scalars().all()
    assert len(marks) == 1


def test_counts_are_right_and_nothing_reaches_the_person(app, site):
    alborz, _, _ = site
    answer_as(app, alborz[0], {"c-values": 4, "c-rewards": None, "c-customer": 2})
    answer_as(app, alborz[1], {"c-values": 4})
    with app.app_context():
        counted = {(t.item_id, t.answer): t.count for t in db.session.scalars(select(CultureTally)) if t.count}
        assert counted == {("c-values", 4): 2, ("c-customer", 2): 1}
        assert count(CultureReceipt) == 2


# -- answering ------------------------------------------------------------------------------

def test_an_agent_answers_once_and_sees_that_they_did_but_not_what(app, site):
    alborz, _, _ = site
    agent = signed_in(app, "a0")
    assert "Culture pulse" in agent.get("/todo").get_data(as_text=True)
    data = {"item-c-values": "5", "item-c-rewards": "2", "csrf_token": token_for(agent, "/culture")}
    assert agent.post("/culture", data=data).status_code == 303
    again = agent.post("/culture", data={**data, "item-c-values": "1"})
    assert again.status_code == 200 and "You have answered this period" in again.get_data(as_text=True)
    page = agent.get("/culture").get_data(as_text=True)
    assert "You have answered this period" in page and "checked" not in page and 'name="item-' not in page
    assert "Culture pulse" not in agent.get("/todo").get_data(as_text=True)
    with app.app_context():
        assert count(CultureReceipt) == 1
        assert {(t.item_id, t.answer) for t in db.session.scalars(select(CultureTally)) if t.count} == \
            {("c-values", 5), ("c-rewards", 2)}


def test_answering_twice_at_once_counts_once(app, site):
    alborz, _, _ = site
    answer_as(app, alborz[0], all_five(5))
    with pytest.raises(answering.AlreadyAnswered):
        answer_as(app, alborz[0], all_five(1))
    with app.app_context():
        assert sum(t.count for t in db.session.scalars(select(CultureTally))) == 5
        assert count(CultureReceipt) == 1


@pytest.mark.parametrize("form, message", [
    ({"item-c-values": "7"}, "does not match the culture pulse"),
    ({"item-c-nothing": "3"}, "does not match the culture pulse"),
    ({}, "Rate at least one statement"),
])
def test_bad_input_re_renders_with_an_error_and_writes_nothing(app, site, form, message):
    agent = signed_in(app, "a0")
    response = agent.post("/culture", data={**form, "csrf_token": token_for(agent, "/culture")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and 'role="alert"' in page and 'name="item-c-values"' in page
    with app.app_context():
        assert count(CultureReceipt) == 0 and count(CultureTally) == 0


def test_coaches_answer_for_the_site_and_managers_are_not_asked(app, site):
    _, _, coaches = site
    coach = signed_in(app, "coach0")
    assert "The culture pulse is open" in coach.get("/coaching").get_data(as_text=True)
    page = coach.get("/culture").get_data(as_text=True)
    assert "counted with the other coaches of the site" in page
    coach.post("/culture", data={"item-c-values": "3", "csrf_token": token_for(coach, "/culture")})
    with app.app_context():
        receipt = db.session.scalar(select(CultureReceipt))
        assert receipt.user_id == coaches[0] and receipt.team_id is None
    assert "The culture pulse is open" not in coach.get("/coaching").get_data(as_text=True)
    assert signed_in(app, "manager").get("/culture").status_code == 403


# -- the report ------------------------------------------------------------------------------

def test_a_group_below_five_shows_nothing_in_page_csv_or_pdf(app, site, tmp_path):
    _, zagros, coaches = site
    for user_id in zagros:  # 4 respondents
        answer_as(app, user_id, all_five(1))
    for user_id in coaches[:4]:
        answer_as(app, user_id, all_five(5))
    manager = signed_in(app, "manager")
    page = manager.get("/culture/report").get_data(as_text=True)
    table = page[page.index("<table"):page.index("</table>")]
    assert table.count("Not enough answers to show") == 4  # Alborz (nobody), Zagros (4), coaches (4), the site
    assert '<td class="heat' not in table  # no lens cell at all: only the gap report's column has figures
    rows = csv_rows(manager.get("/culture/report.csv"))
    assert len(rows) == 4 * 5 and all(r["score"] == r["answers"] == r["trend"] == "" for r in rows)
    assert {r["status"] for r in rows} == {"not_enough_answers"}
    assert {r["respondents"] for r in rows if r["group"] == "Zagros"} == {"4"}
    text_of_pdf = pdf_text(manager.get("/culture/report.pdf"), tmp_path)
    assert text_of_pdf.count("Not enough answers to show") == 4


def test_a_group_of_five_shows_its_ended_period_with_the_trend_and_the_gap_report(app, site, tmp_path):
    alborz, zagros, coaches = site
    for n, user_id in enumerate(alborz):
        answer_as(app, user_id, all_five(3), when=last_period(app) - timedelta(days=culture(app).period_days))
        # values 5 -> 100%; rewards is reversed: 2 -> 75%; one person alone rates rhythm
        answer_as(app, user_id, {"c-values": 5, "c-rewards": 2, "c-rhythm": 1 if n == 0 else None})
    for user_id in zagros:
        answer_as(app, user_id, all_five(1))
    answer_as(app, coaches[0], all_five(1), when=utcnow())  # this period: not shown yet
    manager = signed_in(app, "manager")
    page = manager.get("/culture/report").get_data(as_text=True)
    alborz_row = page[page.index(">Alborz<"):]
    alborz_row = alborz_row[:alborz_row.index("</tr>")]
    assert ">100%" in alborz_row and ">75%" in alborz_row and "▲ 50%" in alborz_row and "▲ 25%" in alborz_row
    assert alborz_row.count(">·") == 3  # rhythm (one person), experience and customer (nobody)
    rows = {(r["group"], r["lens"]): r for r in csv_rows(manager.get("/culture/report.csv"))}
    assert rows["Alborz", "values"]["score"] == "1.0000" and rows["Alborz", "values"]["previous_score"] == "0.5000"
    assert rows["Alborz", "rewards"]["trend"] == "0.2500" and rows["Alborz", "rhythm"]["score"] == ""
    assert rows["Alborz", "values"]["support_gap_share"] == "0.0000"  # the gap report beside it
    # the site adds only groups that show: Zagros's four are not in it
    whole = [r for r in rows.values() if r["group_id"] == "site"]
    assert {r["respondents"] for r in whole} == {"5"} and rows[whole[0]["group"], "values"]["score"] == "1.0000"
    assert rows["Coaches of the site", "values"]["respondents"] == "0"
    assert "100%" in pdf_text(manager.get("/culture/report.pdf"), tmp_path)


def test_coaches_of_the_site_show_as_a_group_of_their_own(app, site):
    _, _, coaches = site
    for user_id in coaches:
        answer_as(app, user_id, all_five(4))
    rows = {(r["group"], r["lens"]): r for r in csv_rows(signed_in(app, "manager").get("/culture/report.csv"))}
    assert rows["Coaches of the site", "customer"]["score"] == "0.7500"
    assert rows["Coaches of the site", "customer"]["group_id"] == "coaches"


def test_a_manager_sees_their_own_site_only(app, site):
    alborz, _, _ = site
    for user_id in alborz:
        answer_as(app, user_id, all_five(5))
    _, site_id = team_of(app, alborz[0])
    elsewhere = signed_in(app, "elsewhere")
    for url in ("/culture/report.csv", f"/culture/report.csv?site_id={site_id}"):
        rows = csv_rows(elsewhere.get(url))
        assert "Alborz" not in {r["group"] for r in rows} and {r["score"] for r in rows} == {""}
    assert signed_in(app, "a0").get("/culture/report").status_code == 403
    assert signed_in(app, "coach0").get("/culture/report.csv").status_code == 403


def test_the_report_is_two_statements_whatever_the_number_of_people(app, site):
    alborz, zagros, coaches = site
    for user_id in alborz + zagros + coaches:
        answer_as(app, user_id, all_five(4))
    _, site_id = team_of(app, alborz[0])
    with app.app_context():
        engine = db.session.get_bind()
        seen = []

        def record(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", record)
        try:
            report = culture_report(db.session, site_id, utcnow().date(), culture(app).period_days)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 2
    assert report.whole[0].respondents == 10 and report.teams[None][0].respondents == 5


def test_the_report_page_takes_a_fixed_number_of_statements(app, site):
    alborz, _, _ = site
    for user_id in alborz:
        answer_as(app, user_id, all_five(4))
    manager = signed_in(app, "manager")
    few = count_statements(app, manager, "/culture/report")
    for user_id in site[1]:
        answer_as(app, user_id, all_five(2))
    assert count_statements(app, manager, "/culture/report") == few
