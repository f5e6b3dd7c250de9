"""People import from the HR export: reading files, planning, applying and the command (the
pages: test_roster_pages.py)."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import Site, Team, TeamCoach, User
from lms.audit.models import AuditEvent
from lms.roster.applying import PlanHasErrors, apply_plan
from lms.roster.planning import plan_import
from lms.roster.reading import ReadError, read_roster


HEADER = ["employee id", "name", "email", "role", "site", "team", "hire date", "language"]
PEOPLE = [
    ["1001", "Sara Ahmadi", "sara@roshan.example", "agent", "Tehran", "Alborz", "2026-01-10", "en"],
    ["1002", "رضا محمدی", "reza@roshan.example", "coach", "Tehran", "Zagros", "1404/10/20", "fa"],
    ["1003", "Neda Sadeghi", "neda@roshan.example", "", "Tehran", "Alborz", "", ""],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if encoding == "cp1256":  # as Persian Windows saves it: Arabic yeh and kaf
        text = text.translate(str.maketrans("یک", "يك"))
    return text.encode(encoding)


def run(rows=PEOPLE, header=HEADER, actor_id=None, only_good_rows=False, **options):
    """Plan and apply a CSV by ``actor_id`` (None: the system); the plan and the outcome."""
    actor = db.session.get(User, actor_id) if actor_id else None
    plan = plan_import(read_roster("hr.csv", csv_bytes(rows, header)), actor, **options)
    outcome = apply_plan(plan, actor, "hr.csv", only_good_rows=only_good_rows)
    db.session.commit()
    return plan, outcome


def person(employee_id):
    return db.session.scalar(select(User).where(User.employee_id == employee_id))


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def errors_of(plan):
    return [(e.row, e.column) for e in plan.errors]


# -- reading ----------------------------------------------------------------------------------

PERSIAN_HEADER = ["کد پرسنلی", "نام", "پست الکترونیک", "نقش", "مرکز", "تیم", "تاریخ استخدام", "زبان"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_every_encoding_reads_persian_headers_and_names(encoding):
    sheet = read_roster("hr.csv", csv_bytes(PEOPLE, PERSIAN_HEADER, encoding=encoding))
    assert sheet.columns["employee_id"] == "کد پرسنلی" and sheet.columns["email"] == "پست الکترونیک"
    assert [number for number, _ in sheet.rows] == [2, 3, 4]
    assert sheet.rows[1][1]["name"] == "رضا محمدی" and sheet.rows[1][1]["hired_on"] == "1404/10/20"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_sniffed(delimiter):
    sheet = read_roster("hr.txt", csv_bytes(PEOPLE, delimiter=delimiter))
    assert sheet.rows[0][1]["email"] == "sara@roshan.example" and sheet.rows[0][1]["team"] == "Alborz"


def test_headers_are_matched_by_synonym_case_and_spaces_and_unknown_ones_reported():
    header = ["Personnel Number", " Full  Name ", "E-Mail", "Start Date", "Coach of", "Shoe size"]
    sheet = read_roster("hr.csv", csv_bytes([["7", "Ali", "ali@x.example", "", "", "44"]], header))
    assert set(sheet.columns) == {"employee_id", "name", "email", "hired_on", "coach_of"}
    assert sheet.unknown == ("Shoe size",)


def test_xlsx_first_sheet_with_real_dates_and_whole_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["شماره پرسنلی", "نام", "ایمیل", "تاریخ استخدام"])
    sheet.append([2001, "مینا رستمی", "mina@roshan.example", datetime(2025, 9, 1)])
    out = io.BytesIO()
    book.save(out)
    rows = read_roster("export.xlsx", out.getvalue()).rows
    assert rows == [(2, {"employee_id": "2001", "name": "مینا رستمی", "email": "mina@roshan.example",
                         "hired_on": datetime(2025, 9, 1)})]


@pytest.mark.parametrize("filename,content,message", [
    ("hr.pdf", b"%PDF-1.4", "CSV file or an Excel workbook"),
    ("hr.csv", b"", "empty"),
    ("hr.csv", b"\r\n\r\n", "empty"),
    ("hr.csv", "employee id,email\n1,a@b.example\n".encode(), "no “name” column"),
    ("hr.csv", "name,team\nAli,A\n".encode(), "“employee id” or an “email” column"),
    ("hr.csv", "name,email\n".encode(), "no people"),
    ("hr.xlsx", b"PK\x03\x04 not really", "Excel workbook"),
    ("hr.csv", b'name,email\n"' + b"x" * 200_000 + b'",a@b.example\n', "could not be read as CSV"),
    ("hr.csv", b"name,email\n" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
])
def test_files_that_are_not_a_roster_say_why(app, filename, content, message):
    with app.test_request_context(), pytest.raises(ReadError, match=message):
        read_roster(filename, content)


# -- planning ---------------------------------------------------------------------------------

def test_a_first_import_creates_sites_teams_and_people_and_a_second_changes_nothing(app):
    with app.app_context():
        plan, outcome = run()
        assert (outcome.created, plan.new_sites, plan.new_teams) == (3, ["Tehran"], [("Tehran", "Alborz"),
                                                                                     ("Tehran", "Zagros")])
        reza = person("1002")
        assert (reza.role, reza.locale, reza.team.name, reza.hired_on) == ("coach", "fa", "Zagros", date(2026, 1, 10))
        assert (reza.password_hash, reza.must_change_password, reza.username) == (None, True, "reza")
        assert (person("1003").role, person("1003").locale) == ("agent", "en")
        events = count(AuditEvent)
        again, outcome = run()
        assert (len(again.creates), len(again.changes), len(again.leavers), again.unchanged) == (0, 0, 0, 3)
        assert count(AuditEvent) == events and outcome.unchanged == 3


def test_a_changed_cell_is_a_change_with_before_and_after_and_empty_cells_keep_values(app):
    with app.app_context():
        run()
        rows = [PEOPLE[0][:3] + ["coach", "Tehran", "Zagros", "", ""], PEOPLE[1], PEOPLE[2]]
        plan, _ = run(rows)
        [change] = plan.changes
        assert (change.row, change.before, change.after) == (
            2, {"role": "agent", "team": "Alborz"}, {"role": "coach", "team": "Zagros"})
        sara = person("1001")
        assert (sara.role, sara.team.name, sara.hired_on, sara.locale) == ("coach", "Zagros", date(2026, 1, 10), "en")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "person.changed"))
        assert (event.person_id, event.before, event.after) == (sara.id, change.before, change.after)


def test_status_left_deactivates_and_removes_coaching_and_unknown_leavers_are_skipped(app):
    with app.app_context():
        rows = [PEOPLE[0], PEOPLE[1][:4] + ["Tehran", "Zagros", "", ""], PEOPLE[2]]
        run([r + [""] for r in rows], HEADER + ["coach of"])
        run([PEOPLE[1][:5] + ["Zagros", "", "", "Alborz"]], HEADER + ["coach of"])
        assert count(TeamCoach) == 1
        header = ["employee id", "name", "status"]
        plan, outcome = run([["1002", "رضا محمدی", "ترک کار"], ["1001", "Sara Ahmadi", "active"],
                             ["9999", "Never here", "left"]], header)
        assert [(p.row, p.name) for p in plan.leavers] == [(2, "رضا محمدی")]
        assert (outcome.deactivated, plan.skipped, plan.unchanged) == (1, 1, 1)
        reza = person("1002")
        assert not reza.active and reza.deactivated_at is not None and count(TeamCoach) == 0
        assert person("9999") is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "person.deactivated"))
        assert (event.before, event.after) == ({"active": True, "coach_of": ["Alborz"]},
                                               {"active": False, "coach_of": []})


def test_a_full_roster_deactivates_the_sites_people_missing_from_it_but_not_the_importer(app, make_user):
    with app.app_context():
        run()
        admin = make_user("boss", role="admin", site="Tehran")
        elsewhere = make_user("kish", site="Kish")
        plan, _ = run(PEOPLE[:1], actor_id=admin, full_roster=True)
        assert sorted(p.name for p in plan.leavers) == ["Neda Sadeghi", "رضا محمدی"]
        assert all(p.row is None for p in plan.leavers)
        assert db.session.get(User, admin).active and db.session.get(User, elsewhere).active
        assert not person("1003").active and person("1001").active


def test_a_full_roster_keeps_people_whose_rows_have_errors(app):
    with app.app_context():
        run()
        rows = [PEOPLE[0], PEOPLE[1][:6] + ["someday", ""], PEOPLE[2]]
        plan = plan_import(read_roster("hr.csv", csv_bytes(rows)), full_roster=True)
        assert errors_of(plan) == [(3, "hire date")] and plan.leavers == []


def test_duplicate_keys_in_the_file_make_both_rows_errors(app):
    with app.app_context():
        rows = [PEOPLE[0], PEOPLE[1], ["1001", "Someone Else", "else@roshan.example"] + [""] * 5,
                ["1004", "Copy", "reza@roshan.example"] + [""] * 5]
        plan = plan_import(read_roster("hr.csv", csv_bytes(rows)))
        assert sorted(errors_of(plan)) == [(2, "employee id"), (3, "email"), (4, "employee id"), (5, "email")]
        assert "row 4" in plan.errors[0].message
        with pytest.raises(PlanHasErrors):
            apply_plan(plan)


def test_an_email_of_someone_with_another_employee_id_is_an_error(app):
    with app.app_context():
        run()
        plan = plan_import(read_roster("hr.csv", csv_bytes([["2002", "Sara Twin", "sara@roshan.example"] + [""] * 5])))
        assert errors_of(plan) == [(2, "email")] and "1001" in plan.errors[0].message


def test_an_email_finds_a_person_without_an_employee_id_and_gives_them_one(app, make_user):
    with app.app_context():
        user_id = make_user("old.timer")
        db.session.get(User, user_id).email = "old@roshan.example"
        db.session.commit()
        plan, _ = run([["5005", "Old.Timer", "old@roshan.example", "", "Test site", "", "", ""]])
        assert [(c.person_id, c.after) for c in plan.changes] == [(user_id, {"employee_id": "5005"})]
        assert person("5005").id == user_id


def test_a_file_without_employee_ids_is_keyed_by_email(app):
    with app.app_context():
        run()
        header = ["name", "e-mail", "team"]
        plan, _ = run([["Sara Ahmadi", "SARA@roshan.example", "Zagros"], ["Omid Jafari", "omid@roshan.example", ""]],
                      header)
        assert [(c.row, c.after) for c in plan.changes] == [(2, {"team": "Zagros"})]
        assert [c.values["employee_id"] for c in plan.creates] == [None] and not plan.errors


def test_bad_cells_are_errors_naming_row_and_column_and_jalali_dates_are_read(app):
    with app.app_context():
        rows = [["1001", "", "not-an-address", "wizard", "Tehran", "", "1405/13/40", "de"],
                ["", "No Key", "", "", "", "", "", ""],
                ["1003", "Neda", "neda@roshan.example", "", "", "", "1404/01/01", ""]]
        plan = plan_import(read_roster("hr.csv", csv_bytes(rows)))
        assert errors_of(plan) == [(2, "name"), (2, "email"), (2, "role"), (2, "hire date"), (2, "language"),
                                   (3, "employee id")]
        assert plan.creates[0].values["hired_on"] == date(2025, 3, 21)


def test_a_manager_imports_into_their_own_site_only_and_never_grants_admin(app, make_user):
    with app.app_context():
        run()
        manager = make_user("tehran.boss", role="manager", site="Tehran")
        make_user("kish.admin", role="admin", site="Kish")
        rows = [["3001", "New Agent", "new@roshan.example", "", "", "Alborz", "", ""],
                ["3002", "Kish Person", "kish@roshan.example", "", "Kish", "", "", ""],
                ["3003", "Would Be Admin", "wba@roshan.example", "admin", "", "", "", ""]]
        plan = plan_import(read_roster("hr.csv", csv_bytes(rows)), db.session.get(User, manager))
        assert errors_of(plan) == [(3, "site"), (4, "role")]
        assert plan.creates[0].values["site"] == "Tehran"
        db.session.get(User, db.session.scalar(select(User.id).where(User.username == "kish.admin"))).employee_id = "9"
        db.session.commit()
        plan = plan_import(read_roster("hr.csv", csv_bytes([["9", "Renamed", "", "", "", "", "", ""]])),
                           db.session.get(User, manager))
        assert errors_of(plan) == [(2, "employee id")]


def test_an_importer_cannot_deactivate_themself_or_change_their_own_role(app, make_user):
    with app.app_context():
        admin = db.session.get(User, make_user("boss", role="admin", site="Tehran"))
        admin.employee_id = "1"
        db.session.commit()
        header = ["employee id", "name", "role", "status"]
        for row in (["1", "Boss", "", "left"], ["1", "Boss", "agent", ""]):
            plan = plan_import(read_roster("hr.csv", csv_bytes([row], header)), admin)
            assert errors_of(plan) == [(2, "employee id")] and "This row is you" in plan.errors[0].message
        assert plan_import(read_roster("hr.csv", csv_bytes([["1", "Boss", "admin", "active"]], header)),
                           admin).unchanged == 1


def test_usernames_come_from_the_file_or_are_made_unique(app, make_user):
    with app.app_context():
        make_user("sara")
        header = ["employee id", "name", "email", "username"]
        rows = [["1", "Sara A", "sara@a.example", ""], ["2", "Sara B", "sara@b.example", ""],
                ["3", "No Mail", "", ""], ["4", "Given", "g@a.example", "the.given"],
                ["5", "Taken", "t@a.example", "sara"]]
        plan = plan_import(read_roster("hr.csv", csv_bytes(rows, header)))
        assert [c.values["username"] for c in plan.creates] == ["sara-2", "sara-3", "emp-3", "the.given"]
        assert errors_of(plan) == [(6, "username")]


def test_coach_of_makes_a_coach_of_teams_and_is_refused_for_an_agent(app):
    with app.app_context():
        header = HEADER + ["coach of"]
        rows = [PEOPLE[1] + ["Alborz، Zagros"], PEOPLE[0] + ["Zagros"]]
        plan, outcome = run(rows, header, only_good_rows=True)
        assert errors_of(plan) == [(3, "coach of")] and outcome.skipped_rows == 1
        reza = person("1002")
        coached = db.session.scalars(select(Team.name).join(TeamCoach).where(TeamCoach.user_id == reza.id)).all()
        assert sorted(coached) == ["Alborz", "Zagros"]
        assert count(AuditEvent, AuditEvent.kind == "person.coach_added", AuditEvent.person_id == reza.id) == 2


# -- applying ----------------------------------------------------------------------------------

def test_errors_write_nothing_unless_only_the_good_rows_are_chosen(app):
    with app.app_context():
        rows = [PEOPLE[0], PEOPLE[1][:6] + ["someday", ""], PEOPLE[2]]
        plan = plan_import(read_roster("hr.csv", csv_bytes(rows)))
        with pytest.raises(PlanHasErrors):
            apply_plan(plan)
        db.session.rollback()
        assert count(User) == count(Site) == count(AuditEvent) == 0
        outcome = apply_plan(plan, None, "hr.csv", only_good_rows=True)
        db.session.commit()
        assert (outcome.created, outcome.skipped_rows, count(User)) == (2, 1, 2)
        summary = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "people.imported"))
        assert (summary.actor_id, summary.actor_name, summary.target) == (None, "CX Academy", "import:hr.csv")
        assert summary.after == {"file": "hr.csv", "created": 2, "changed": 0, "deactivated": 0, "unchanged": 0,
                                 "skipped_rows": 1}
        assert count(AuditEvent, AuditEvent.kind == "person.created") == 2
        assert count(AuditEvent, AuditEvent.kind == "site.created") == 1


# -- the command line --------------------------------------------------------------------------

def test_the_command_dry_run_writes_nothing_and_errors_exit_1(app, tmp_path):
    good = tmp_path / "hr.csv"
    good.write_bytes(csv_bytes(PEOPLE))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["lms", "people", "import", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "3 to create" in dry.output and "nothing written" in dry.output
    with app.app_context():
        assert count(User) == count(AuditEvent) == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([PEOPLE[0], ["1009", "X", "x@", "", "", "", "", ""]]))
    failed = runner.invoke(args=["lms", "people", "import", str(bad)])
    assert failed.exit_code == 1 and "row 3, column email: “x@” is not an e-mail address." in failed.output
    with app.app_context():
        assert count(User) == 0
    done = runner.invoke(args=["lms", "people", "import", str(good), "--site", "Ignored"])
    assert done.exit_code == 0 and "Imported: 3 created" in done.output
    with app.app_context():
        assert count(User) == 3
