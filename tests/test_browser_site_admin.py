"""The issue's whole journey of running a site without a developer, in a real browser: an admin
imports 200 people from the HR export (three bad rows refused by row and column, nothing
written), fixes them and imports; makes the new coach the coach of a team and gives them a
temporary password; the coach signs in, chooses a password and sees that team. A role change
and a revoked certificate then stand in the audit trail with their before and after."""

from sqlalchemy import select

from lms import db
from lms.accounts.models import Team, User
from lms.credentials import issuing

from .browser import BROWSER, follow, signed_in_page
from .test_browser_roster import BAD, people, roster, upload

pytestmark = BROWSER


def person_id(live_app, email):
    with live_app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_an_admin_runs_a_site_from_import_to_audit_trail(app, live_app, server, browser, make_user):
    make_user("admin", role="admin", site="Tehran")
    admin = signed_in_page(browser, server, "admin")

    upload(admin, server, roster(fixed=False))
    rows = admin.locator("table.errors tbody tr td:first-child").all_inner_texts()
    assert rows == [str(number) for number in sorted(BAD)]
    follow(admin, "form button.primary")
    assert people(live_app) == 0  # nothing half-written
    upload(admin, server, roster(fixed=True))
    follow(admin, "form button.primary")
    assert people(live_app) == 200

    with live_app.app_context():
        alborz = db.session.scalar(select(Team.id).where(Team.name == "Alborz"))
    coach_id = person_id(live_app, "sara2@roshan.example")
    admin.goto(f"{server}/admin/teams/{alborz}")
    admin.select_option("select[name=coach_id]", label="Leila Coach")
    follow(admin, "form[action$='/coaches'] button")
    admin.goto(f"{server}/admin/people/{coach_id}")
    follow(admin, "form[action$='/password'] button")
    password = admin.inner_text(".temp-password").strip()

    coach = browser.new_page()
    coach.goto(f"{server}/sign-in")
    coach.fill("input[name=username]", "sara2@roshan.example")
    coach.fill("input[name=password]", password)
    follow(coach, "button.primary")
    coach.wait_for_url("**/account")
    coach.fill("input[name=password-current]", password)
    coach.fill("input[name=password-new]", "a password of my own")
    coach.fill("input[name=password-again]", "a password of my own")
    follow(coach, "form:has(input[name=password-current]) button")
    coach.goto(f"{server}/teams/{alborz}")
    agents = coach.locator("main table tbody tr td:first-child > a:first-child").all_inner_texts()  # names, not "Record praise"
    assert len(agents) == 66 and "Neda Sadeghi 3" in agents and "Omid Jafari 1" not in agents  # Alborz's only

    # A role change, through the person's page.
    promoted = person_id(live_app, "sara5@roshan.example")
    admin.goto(f"{server}/admin/people/{promoted}")
    admin.select_option("select[name=role]", "coach")
    admin.select_option("select[name=team_id]", index=0)  # a coach leads teams rather than sits in one
    follow(admin, "main form button.primary")
    # A revoke, through the certificates page.
    with live_app.app_context():
        code = issuing.issue(db.session.get(User, person_id(live_app, "sara6@roshan.example")), "module",
                             "communication", {"en": "Communication"}).code
        db.session.commit()
    admin.goto(f"{server}/manage/certificates")
    revoke = admin.locator(f"form[action*='/{code}/revoke']")
    revoke.locator("input[name=reason]").fill("issued before the quiz was passed")
    with admin.expect_navigation():
        revoke.locator("button").click()

    admin.goto(f"{server}/admin/audit/?kind=people")
    changed = admin.locator("tr", has_text="Person changed").first.inner_text()
    assert "role" in changed and "agent → coach" in changed
    admin.goto(f"{server}/admin/audit/?kind=certificates")
    revoked = admin.locator("tr", has_text="Certificate revoked").first.inner_text()
    assert "valid → revoked" in revoked and "issued before the quiz was passed" in revoked
