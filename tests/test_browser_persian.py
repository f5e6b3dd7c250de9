"""Persian and mixed text in a real browser: what people type keeps its own direction in a
page of the other language, and a Jalali date picked in Persian is stored as the right day."""

from datetime import date

from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.coaching.models import Assignment

from .browser import BROWSER, SHOTS, follow, signed_in_page

pytestmark = BROWSER

ENGLISH_QUESTION = "When a customer repeats the same complaint, what do I say?"
PERSIAN_QUESTION = "اگر مشتری همان شکایت را تکرار کند، چه بگویم؟"
PERSIAN_ANSWER = "اول خلاصه کن که شنیدی، بعد یک قدم بعدی پیشنهاد بده."


def direction(page, selector, text):
    """The direction the browser gives the element holding ``text``: (:dir() match, computed direction)."""
    element = page.locator(selector, has_text=text).first
    return element.evaluate("e => [e.matches(':dir(rtl)') ? 'rtl' : 'ltr', getComputedStyle(e).direction]")


def test_typed_text_keeps_its_own_direction_in_a_page_of_the_other_language(app, server, browser, make_user):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user("coach-mix", role="coach", coach_of=("Sales North",), locale="fa")
    make_user("agent-en", team="Sales North", locale="en")
    agent_fa = make_user("agent-fa", team="Sales North", locale="fa")
    with app.app_context():
        db.session.get(User, agent_fa).display_name = "Neda K."  # ends in a full stop: shows as ".Neda K" unisolated
        db.session.commit()

    for username, question in (("agent-fa", ENGLISH_QUESTION), ("agent-en", PERSIAN_QUESTION)):
        agent = signed_in_page(browser, server, username)
        agent.goto(f"{server}/modules/communication/lessons/communication-01-listen")
        follow(agent, "p.ask a")
        agent.fill("textarea[name=question]", question)
        assert agent.locator("textarea[name=question]").get_attribute("dir") == "auto"
        follow(agent, "main form button.primary")
        shown = direction(agent, "p.asked", question)
        assert shown == (["ltr", "ltr"] if username == "agent-fa" else ["rtl", "rtl"]), (username, shown)
        agent.close()

    coach = signed_in_page(browser, server, "coach-mix")  # a Persian page
    coach.goto(f"{server}/coaching")
    assert direction(coach, "bdi", "Neda K.") == ["ltr", "ltr"]
    follow(coach, "tr:has(bdi:text-is('Neda K.')) a[href*='/coaching/help/']")
    assert direction(coach, "p", ENGLISH_QUESTION) == ["ltr", "ltr"]
    coach.screenshot(path=SHOTS / "fa-mixed-question.png", full_page=True)
    coach.goto(f"{server}/coaching")
    follow(coach, "tr:has(bdi:text-is('Agent-En')) a[href*='/coaching/help/']")
    coach.fill("textarea[name=answer]", PERSIAN_ANSWER)
    follow(coach, "main form button.primary")
    coach.goto(f"{server}/teams")
    assert direction(coach, "bdi", "Sales North") == ["ltr", "ltr"]
    coach.close()

    agent = signed_in_page(browser, server, "agent-en")  # an English page
    agent.goto(f"{server}/help")
    assert direction(agent, "p", PERSIAN_ANSWER) == ["rtl", "rtl"]
    agent.screenshot(path=SHOTS / "en-mixed-answer.png", full_page=True)
    agent.close()


def test_a_jalali_date_picked_in_persian_is_stored_as_its_gregorian_day(app, server, browser, make_user):
    make_user("coach-jalali", role="coach", coach_of=("Sales South",), locale="fa")
    agent_id = make_user("agent-jalali", team="Sales South", locale="fa")
    coach = signed_in_page(browser, server, "coach-jalali")
    coach.goto(f"{server}/coaching/assign")
    due = coach.locator("input[name=due_on]")
    assert due.get_attribute("type") == "text"  # not the browser's Gregorian picker
    hint = coach.locator(f"#{due.get_attribute('aria-describedby')}")
    assert hint.is_visible() and due.get_attribute("placeholder") == "۱۴۰۵/۰۱/۰۱"  # the format, spelled out
    coach.select_option("select[name=target]", "quiz:communication-refresher")
    coach.check("input[name=agents]")
    due.fill("۱۴۰۵/۱۰/۰۱")  # 1 Dey 1405
    SHOTS.mkdir(parents=True, exist_ok=True)
    coach.screenshot(path=SHOTS / "fa-jalali-due-date.png", full_page=True)
    follow(coach, "main form button.primary")
    assert coach.locator("p.flash.info").count() == 1
    with app.app_context():
        stored = db.session.scalar(select(Assignment.due_on).where(Assignment.user_id == agent_id))
    assert stored == date(2026, 12, 22)

    coach.goto(f"{server}/coaching/people/{agent_id}")
    assert "۱ دی ۱۴۰۵" in coach.inner_text("main")
    coach.close()
