"""An admin adds a coach, puts them on a team and gives them a temporary password; the coach
signs in with it, must choose their own, then sees the team's agents. axe checks the people
list and a person's page in English and Persian."""

from sqlalchemy import select

from lms import db
from lms.accounts.models import Team

from .browser import BROWSER, follow, no_axe_violations, signed_in_page

pytestmark = BROWSER


def test_an_admin_makes_a_coach_who_signs_in_and_sees_their_team(app, server, browser, make_user):
    make_user("admin", role="admin")
    make_user("sara", team="Alborz")
    make_user("omid", team="Alborz")
    with app.app_context():
        alborz = db.session.scalar(select(Team).where(Team.name == "Alborz")).id

    admin = signed_in_page(browser, server, "admin")
    admin.goto(f"{server}/admin/people/new")
    admin.fill("input[name=display_name]", "Nasrin Coach")
    admin.fill("input[name=username]", "nasrin")
    admin.fill("input[name=email]", "nasrin@example.com")
    admin.select_option("select[name=role]", "coach")
    admin.select_option("select[name=site_id]", label="Test site")
    follow(admin, "main form button.primary")
    admin.wait_for_url("**/admin/people/*")
    person_url = admin.url

    admin.goto(f"{server}/admin/teams/{alborz}")
    admin.select_option("select[name=coach_id]", label="Nasrin Coach")
    follow(admin, "form[action$='/coaches'] button")
    assert "Nasrin Coach" in admin.inner_text("main section.card >> nth=0")

    admin.goto(person_url)
    follow(admin, "form[action$='/password'] button")
    password = admin.inner_text(".temp-password").strip()
    assert len(password) == 14

    coach = browser.new_page()
    coach.goto(f"{server}/sign-in")
    coach.fill("input[name=username]", "nasrin@example.com")  # by e-mail
    coach.fill("input[name=password]", password)
    follow(coach, "button.primary")
    coach.wait_for_url("**/account")
    coach.goto(f"{server}/teams")
    coach.wait_for_url("**/account")  # not before choosing a password of their own
    coach.fill("input[name=password-current]", password)
    coach.fill("input[name=password-new]", "my own long secret")
    coach.fill("input[name=password-again]", "my own long secret")
    follow(coach, "form:has(input[name=password-current]) button")
    coach.goto(f"{server}/teams")
    follow(coach, f"a[href$='/teams/{alborz}']")
    agents = coach.inner_text("main")
    assert "Sara" in agents and "Omid" in agents

    for locale in ("en", "fa"):
        admin.goto(f"{server}/admin/people/")
        if locale == "fa":
            follow(admin, "form.lang button[value=fa]")
            assert admin.evaluate("document.documentElement.dir") == "rtl"
        no_axe_violations(admin)
        admin.goto(person_url)
        no_axe_violations(admin)
