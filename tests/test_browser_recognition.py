"""Recognition by name in a real browser, in English and in Persian: a manager records a
customer's praise (a bad date first: the form comes back with the error and nothing is
saved), the agent sees it on their own page, and the month's recognition sheet prints. Each
page passes axe, on a desktop and on a phone."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User
from lms.days import typed_day
from lms.db import utcnow
from lms.recognition.models import Praise

from .browser import BROWSER, SHOTS, follow, no_axe_violations, signed_in_page

pytestmark = BROWSER

PHONE = {"width": 390, "height": 844}
SAID = {"en": "Ali fixed my billing problem in one call and explained why it happened.",
        "fa": "آقای علوی مشکل صورت‌حسابم را در یک تماس حل کرد و گفت چرا پیش آمده بود."}


def shots(page, name):
    """The open page on a desktop and on a phone, each checked by axe."""
    for label, size in (("desktop", {"width": 1200, "height": 900}), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
        no_axe_violations(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= max(size["width"], 1200)


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_manager_records_praise_the_agent_sees_it_and_the_sheet_prints(
        app, live_app, server, browser, make_user, locale):
    SHOTS.mkdir(parents=True, exist_ok=True)
    site, team = f"Praise site {locale}", f"Damavand {locale}"
    manager, agent = f"nasrin-{locale}", f"ali-{locale}"
    make_user(manager, role="manager", site=site, locale=locale)
    make_user(agent, team=team, site=site, locale=locale)
    with live_app.app_context():
        agent_id = db.session.scalar(select(User.id).where(User.username == agent))
        team_id = db.session.scalar(select(User.team_id).where(User.id == agent_id))

    page = signed_in_page(browser, server, manager)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "fa" else "ltr")
    page.goto(f"{server}/teams/{team_id}")
    follow(page, f"a[href^='/recognition/people/{agent_id}/praise']")
    page.fill("textarea[name=said]", SAID[locale])
    page.select_option("select[name=channel]", "chat")
    page.select_option("select[name=topic]", "problem_solving")
    page.fill("input[name=case_ref]", "CR-7731")
    page.fill("input[name=received_on]", typed_day(utcnow().date() + timedelta(days=30), locale))  # not yet
    follow(page, "main form button.primary")
    assert page.locator("[aria-invalid=true]").count() == 1 and page.locator("p.error").count() == 2
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Praise)) == 0
    assert page.input_value("textarea[name=said]") == SAID[locale]  # nothing typed is lost
    shots(page, f"{locale}-60-praise-form-error")
    page.fill("input[name=received_on]", typed_day(utcnow().date(), locale))
    follow(page, "main form button.primary")
    assert page.locator("p.flash.info").count() == 1
    assert "/recognition/people/" not in page.url
    page.goto(f"{server}/teams/{team_id}")
    assert SAID[locale] in page.inner_text("ul.praise-list")
    shots(page, f"{locale}-61-team-praise")

    # The agent finds it on their own gap page, through the menu on a phone.
    own = signed_in_page(browser, server, agent, width=PHONE["width"])
    own.click("button.menu-toggle")
    follow(own, "#lms-nav a[href$='/gaps/']")
    assert SAID[locale] in own.inner_text("section.praise-section")
    assert "CR-7731" in own.inner_text("section.praise-section")
    shots(own, f"{locale}-62-agent-sees-praise")
    own.close()

    # The month's report, then its sheet.
    page.goto(f"{server}/recognition/")
    assert agent.split("-")[0].title() in page.inner_text("table")
    shots(page, f"{locale}-63-praise-report")
    with page.expect_response(lambda response: "/recognition/sheet.pdf" in response.url) as printed:
        page.click("a[href*='/recognition/sheet.pdf']")
    response = printed.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # The bytes, fetched again with the page's cookies (the tab holds the PDF viewer, not the file).
    pdf = page.context.request.get(response.url).body()
    (SHOTS / f"{locale}-64-recognition-sheet.pdf").write_bytes(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert SAID[locale].split()[-1].rstrip(".") in text and "CR-7731" in text
    page.close()
