"""An admin imports 200 people from the HR system's CSV in a real browser: a file with three bad
rows is refused row by row and column by column with nothing written; the fixed file imports.
Checked with axe in English and Persian; screenshots saved to test-artifacts/."""

import pytest
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User

from .browser import BROWSER, SHOTS, follow, no_axe_violations, signed_in_page
from .test_roster import csv_bytes

pytestmark = BROWSER

#: Three bad cells in 200 rows: (spreadsheet row, column, the bad value, the fix).
BAD = {17: ("email", "sara17@", "sara17@roshan.example"),
       88: ("hire date", "1404/13/02", "1404/12/02"),
       151: ("role", "boss", "agent")}
HEADER = ["employee id", "name", "email", "role", "site", "team", "hire date", "language"]
COLUMN = {name: i for i, name in enumerate(HEADER)}
COACH_ROW = 2


def roster(fixed):
    rows = []
    for number in range(2, 202):
        i = number - 2
        name = ["مینا رستمی", "Omid Jafari", "پریسا نوری", "Neda Sadeghi"][i % 4] + f" {i}"
        rows.append([f"P{1000 + i}", name, f"sara{number}@roshan.example", "agent", "Tehran",
                     ["Alborz", "Zagros", "Damavand"][i % 3], "1403/06/15", "fa" if i % 2 else "en"])
        if number == COACH_ROW:  # a new coach, not yet on any team
            rows[-1][COLUMN["name"]], rows[-1][COLUMN["role"]], rows[-1][COLUMN["team"]] = "Leila Coach", "coach", ""
        if number in BAD:
            column, bad, good = BAD[number]
            rows[-1][COLUMN[column]] = good if fixed else bad
    return csv_bytes(rows, HEADER)


def shoot(page, name):
    """The page at desktop width and as a 390 x 844 phone shows it."""
    page.screenshot(path=SHOTS / f"roster-{name}.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / f"roster-{name}-phone.png", full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})


def upload(page, server, content):
    page.goto(f"{server}/admin/import/")
    page.set_input_files("input[type=file]", files=[{"name": "hr-export.csv", "mimeType": "text/csv",
                                                     "buffer": content}])
    follow(page, "main form button.primary")
    page.wait_for_url("**/admin/import/*")


def people(live_app):
    with live_app.app_context():
        return db.session.scalar(select(func.count()).select_from(User).where(User.employee_id.is_not(None)))


@pytest.mark.parametrize("locale,texts", [
    ("en", {"errors": "Rows with errors", "imported": "People imported"}),
    ("fa", {"errors": "ردیف‌های دارای خطا", "imported": "افراد وارد شدند"}),
])
def test_an_admin_imports_200_people_after_fixing_three_bad_rows(
        app, live_app, server, browser, make_user, locale, texts):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user(f"admin-{locale}", role="admin", site="Tehran", locale=locale)
    page = signed_in_page(browser, server, f"admin-{locale}")
    page.goto(f"{server}/admin/import/")
    no_axe_violations(page)
    shoot(page, f"{locale}-1-upload")

    upload(page, server, roster(fixed=False))
    assert texts["errors"] in page.inner_text("h2#errors")
    cells = [[td.inner_text() for td in tr.locator("td").all()] for tr in page.locator("table.errors tbody tr").all()]
    digits = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹") if locale == "fa" else {}
    assert [(row, column) for row, column, _message in cells] == [
        (str(number).translate(digits), column) for number, (column, _bad, _good) in sorted(BAD.items())]
    assert "sara17@" in cells[0][2] and "1404/13/02" in cells[1][2] and "boss" in cells[2][2]
    no_axe_violations(page)
    shoot(page, f"{locale}-2-preview-errors")
    follow(page, "form button.primary")  # confirming without "only the good rows" writes nothing
    assert page.locator("p.flash.error").count() == 1
    assert people(live_app) == 0

    upload(page, server, roster(fixed=True))
    assert page.locator("table.errors").count() == 0
    no_axe_violations(page)
    follow(page, "form button.primary")
    assert texts["imported"] in page.inner_text("h1")
    no_axe_violations(page)
    shoot(page, f"{locale}-3-result")
    assert people(live_app) == 200
    page.close()
