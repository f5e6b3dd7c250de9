"""The culture pulse in a real browser: an agent answers it in Persian and sees only that they
did; the manager then sees last period's report, and neither page has an axe violation."""

from datetime import timedelta

from lms import db
from lms.accounts.models import User
from lms.db import utcnow
from lms.pulse import answering

from .browser import BROWSER, SHOTS, follow, no_axe_violations, signed_in_page

pytestmark = BROWSER


def test_an_agent_answers_in_persian_and_the_manager_sees_the_report(live_app, server, browser, make_user):
    SHOTS.mkdir(parents=True, exist_ok=True)
    colleagues = [make_user(f"colleague{n}", team="Alborz") for n in range(5)]
    make_user("parisa", team="Alborz", locale="fa")
    make_user("manager", role="manager")
    with live_app.app_context():  # the shipped culture pulse, as the server asks it
        culture = live_app.extensions["lms"].catalog.culture
        for n, user_id in enumerate(colleagues):  # last period's answers: what the report shows
            answering.answer_culture(db.session.get(User, user_id), culture,
                                     {item.id: 2 + n % 3 for item in culture.items},
                                     utcnow() - timedelta(days=culture.period_days))

    agent = signed_in_page(browser, server, "parisa", width=390)
    agent.goto(f"{server}/todo")
    follow(agent, "li.todo.culture a")
    assert agent.locator("html").get_attribute("dir") == "rtl"
    assert agent.locator("h2.lens").first.inner_text() == "ارزش‌های اعلام‌شده و زیسته"
    no_axe_violations(agent)
    follow(agent, "form.pulse button.primary")  # nothing rated: refused, nothing kept
    assert "دست‌کم به یک جمله پاسخ بدهید" in agent.locator("p.error[role=alert]").inner_text()
    for fieldset in agent.locator("form.pulse fieldset.item").all()[:6]:
        fieldset.locator('input[value="4"]').check()
    agent.screenshot(path=SHOTS / "fa-culture-answer.png", full_page=True)
    follow(agent, "form.pulse button.primary")
    assert "پاسخ‌هایتان به شمارش گروهتان اضافه شد" in agent.locator("main").inner_text()
    agent.goto(f"{server}/culture")
    assert "پاسخ داده‌اید" in agent.locator("p.lead").inner_text()
    assert agent.locator("input[type=radio]").count() == 0  # what they answered is not there to show
    agent.close()

    manager = signed_in_page(browser, server, "manager")
    follow(manager, "a[href$='/culture/report']")
    alborz = manager.locator("tr", has=manager.locator("th", has_text="Alborz"))
    assert alborz.locator("td.heat").count() == 5 and "%" in alborz.inner_text()
    assert manager.locator("tr", has_text="Coaches of the site").locator("td.not-enough").count() == 1
    no_axe_violations(manager)
    manager.screenshot(path=SHOTS / "en-culture-report.png", full_page=True)
    manager.close()
