"""Timed quizzes in a real browser: answers saved as they are given survive a closed tab and
are graded at the deadline; a page still open warns at 5 and 1 minutes and sends itself at 0:00.
English and Persian, with screenshots and axe-core checks."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from lms import db
from lms.db import utcnow
from lms.learning.models import QuizAttempt

from .browser import (
    BROWSER,
    SHOTS,
    answer_shown,
    follow,
    no_axe_violations,
    signed_in_page,
)

pytestmark = BROWSER

TEXTS = {
    "en": {"begin": "Start the quiz", "saved": "All answers saved.", "five": "5 minutes left",
           "one": "1 minute left", "deadline": "graded on the answers saved by the deadline"},
    "fa": {"begin": "شروع آزمون", "saved": "همه‌ی پاسخ‌ها ذخیره شد.", "five": "۵ دقیقه مانده است",
           "one": "۱ دقیقه مانده است", "deadline": "تا پایان مهلت ذخیره شده بود"},
}


def set_deadline(app, attempt_id, seconds_from_now):
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        attempt.deadline_at = utcnow() + timedelta(seconds=seconds_from_now)
        db.session.commit()


def start_timed_quiz(browser, server, make_user, username, locale):
    """A new agent starts the 20-minute communication quiz: (page, attempt id)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user(username, locale=locale)
    page = signed_in_page(browser, server, username, width=1100)
    page.goto(f"{server}/quizzes/communication-quiz")
    follow(page, f"text={TEXTS[locale]['begin']}")
    return page, int(re.search(r"/attempts/(\d+)", page.url).group(1))


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_closed_tab_loses_nothing_and_the_attempt_is_graded_on_what_was_saved(
        app, live_app, server, browser, make_user, locale):
    catalog = live_app.extensions["lms"].catalog
    page, attempt_id = start_timed_quiz(browser, server, make_user, f"closer-{locale}", locale)
    answered = answer_shown(page, catalog, locale, limit=7)  # half of the 14 marked items, right
    expect(page.locator(".autosave-status")).to_have_text(TEXTS[locale]["saved"])
    page.screenshot(path=SHOTS / f"{locale}-12-timed-quiz-saved.png", full_page=True)
    page.close()  # the tab is closed; the time runs out

    set_deadline(live_app, attempt_id, -60)  # past the deadline and its 30 seconds' grace
    again = signed_in_page(browser, server, f"closer-{locale}", width=1100)
    again.goto(f"{server}/quizzes/communication-quiz/attempts/{attempt_id}")
    expect(again.locator("section.result")).to_contain_text(TEXTS[locale]["deadline"])
    again.screenshot(path=SHOTS / f"{locale}-13-graded-at-deadline.png", full_page=True)
    no_axe_violations(again)
    with live_app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        marked = [i for i in answered if catalog.items[i].graded]
        assert (attempt.status, attempt.closed_by) == ("submitted", "deadline")
        assert attempt.points == len(marked) == 7 and attempt.max_points == 14
    again.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_an_open_page_warns_at_five_and_one_minutes_and_sends_itself_at_zero(
        app, live_app, server, browser, make_user, locale):
    catalog = live_app.extensions["lms"].catalog
    page, attempt_id = start_timed_quiz(browser, server, make_user, f"racer-{locale}", locale)
    warning = page.locator(".timer-warning")

    set_deadline(live_app, attempt_id, 302)
    page.reload()
    expect(warning).to_contain_text(TEXTS[locale]["five"], timeout=10_000)
    answer_shown(page, catalog, locale)
    expect(page.locator(".autosave-status")).to_have_text(TEXTS[locale]["saved"])
    page.screenshot(path=SHOTS / f"{locale}-14-five-minutes.png", full_page=False)
    no_axe_violations(page)

    set_deadline(live_app, attempt_id, 62)
    page.reload()
    expect(warning).to_contain_text(TEXTS[locale]["one"], timeout=10_000)
    page.screenshot(path=SHOTS / f"{locale}-15-one-minute.png", full_page=False)

    set_deadline(live_app, attempt_id, 3)
    page.reload()  # the player's address is the result's too: wait for the result itself
    expect(page.locator("section.result")).to_be_visible(timeout=20_000)
    with live_app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        assert attempt.status == "submitted" and attempt.closed_by == "learner" and attempt.passed
    page.screenshot(path=SHOTS / f"{locale}-16-sent-at-zero.png", full_page=True)
    page.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_the_pulse_a_refused_retake_and_item_analysis_as_people_see_them(
        app, live_app, server, browser, make_user, locale):
    """Pages of the evidence an agent, a coach and an admin meet, looked at and checked by axe."""
    from lms.accounts.models import User
    from lms.learning import attempts
    from lms.pulse import answering

    SHOTS.mkdir(parents=True, exist_ok=True)
    team = f"Pulse {locale}"
    agents = [make_user(f"pulse-{locale}-{n}", team=team, locale=locale) for n in range(5)]
    make_user(f"pulse-coach-{locale}", role="coach", coach_of=(team,), locale=locale)
    make_user(f"pulse-admin-{locale}", role="admin", locale=locale)
    catalog = live_app.extensions["lms"].catalog

    agent = signed_in_page(browser, server, f"pulse-{locale}-0", width=1100)
    agent.goto(f"{server}/pulse")
    agent.screenshot(path=SHOTS / f"{locale}-17-pulse.png", full_page=True)
    no_axe_violations(agent)
    with live_app.app_context():  # last period's pulse, answered by the whole team
        for n, user_id in enumerate(agents):
            answering.answer(db.session.get(User, user_id), catalog.pulse,
                             {item.id: 1 + (n + len(item.id)) % 5 for item in catalog.pulse.items},
                             utcnow() - timedelta(days=catalog.pulse.period_days))
        quiz = catalog.quizzes["communication-quiz"]
        for user_id in agents:  # one attempt each, half right: something to analyse
            attempt = attempts.start_or_resume(user_id, quiz, catalog, locale)
            shown = attempts.shown_items(attempt, catalog)
            attempts.submit(user_id, quiz, catalog, attempt.id,
                            {v.item.id: v.item.answer for v in shown[::2] if v.item.graded}, locale=locale)
    agent.goto(f"{server}/quizzes/communication-quiz")  # an hour has not passed: no start button
    expect(agent.locator("p.card[role=status]")).to_be_visible()
    assert agent.locator("form button.primary").count() == 0
    agent.screenshot(path=SHOTS / f"{locale}-18-retake-refused.png", full_page=True)
    no_axe_violations(agent)

    coach = signed_in_page(browser, server, f"pulse-coach-{locale}", width=1300)
    coach.goto(f"{server}/gaps/")
    expect(coach.locator("section.pulse-report")).to_be_visible()
    assert coach.locator("section.pulse-report td.heat").count() == 5
    coach.locator("section.pulse-report").screenshot(path=SHOTS / f"{locale}-19-team-pulse.png")
    coach.screenshot(path=SHOTS / f"{locale}-19-team-gaps.png", full_page=True)
    no_axe_violations(coach)

    admin = signed_in_page(browser, server, f"pulse-admin-{locale}", width=1300)
    admin.goto(f"{server}/admin/items/?bank=communication-quiz")
    expect(admin.locator("table.items tbody tr").first).to_be_visible()
    admin.screenshot(path=SHOTS / f"{locale}-20-item-analysis.png", full_page=False)
    no_axe_violations(admin)
    for page in (agent, coach, admin):
        page.close()
