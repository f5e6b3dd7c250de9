"""Self-review of a real call in a real browser, in English on a desktop and in Persian on a
phone: the agent scores a call, the coach scores it without seeing the agent's scores, and both
see the calibration; every page passes axe."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from lms.db import utcnow

from .browser import BROWSER, SHOTS, follow, no_axe_violations, signed_in_page

pytestmark = BROWSER

RUBRIC = "rp-late-delivery"
AGENT_SCORES = {"empathy": 2, "ownership": 2, "accuracy": 1, "explains_why": 2, "way_forward": 1}
COACH_SCORES = {"empathy": 1, "ownership": 0, "accuracy": 1, "explains_why": 2, "way_forward": 1}
REFLECTION = "Give the day it arrives and call back myself."


def score(page, criteria, scores):
    for criterion in criteria:
        page.locator(f'input[name="score-{criterion.id}"][value="{scores[criterion.id]}"]').check()


@pytest.mark.parametrize("locale,width", [("en", 1200), ("fa", 390)])
def test_an_agent_self_reviews_a_call_the_coach_scores_it_and_both_see_the_calibration(
        app, live_app, server, browser, make_user, locale, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    team = f"Calls-{locale}"
    make_user(f"caller-{locale}", team=team, locale=locale)
    make_user(f"calls-coach-{locale}", role="coach", coach_of=(team,), locale=locale)
    criteria = live_app.extensions["lms"].catalog.roleplays[RUBRIC].criteria
    reference = f"TCK-{locale.upper()}-77"

    agent = signed_in_page(browser, server, f"caller-{locale}", width=width)
    agent.goto(f"{server}/calls")
    follow(agent, "main a.button.primary")
    agent.select_option("select#rubric", RUBRIC)
    follow(agent, "main form button.primary")
    agent.fill("input[name=reference]", reference)
    agent.fill("input[name=call_on]", (utcnow().date() - timedelta(days=1)).isoformat())
    agent.select_option("select[name=channel]", "chat")
    agent.fill("textarea[name=transcript]", "Customer: Where is my order?\nAgent: Deliveries are late this week.")
    score(agent, criteria, AGENT_SCORES)
    agent.fill("textarea[name=differently]", REFLECTION)
    no_axe_violations(agent)
    follow(agent, "main form button.primary")
    expect(agent.locator(".badge.in_progress")).to_be_visible()
    call_url = agent.url

    coach = signed_in_page(browser, server, f"calls-coach-{locale}", width=width)
    coach.goto(f"{server}/reviews")
    row = coach.locator("tr", has_text=reference)
    expect(row).to_have_count(1)
    follow(coach, f"tr:has-text('{reference}') a.button")
    assert coach.url == call_url
    expect(coach.locator("main")).not_to_contain_text(REFLECTION)  # blind: nothing of the agent's view
    expect(coach.locator("table.calibration")).to_have_count(0)
    score(coach, criteria, COACH_SCORES)
    coach.fill("textarea[name=comment]", "Own the call-back.")
    no_axe_violations(coach)
    follow(coach, "main form button.primary")
    expect(coach.locator("table.calibration tbody tr")).to_have_count(len(criteria))
    # Ownership differs most (2 against 0): that row is marked and named above the table.
    widest = coach.locator("table.calibration tr.widest")
    expect(widest).to_have_count(1)
    ownership = {"en": "Ownership", "fa": "مسئولیت‌پذیری"}[locale]
    expect(widest).to_contain_text(ownership)
    expect(coach.locator(".calibration-summary")).to_contain_text(ownership)
    no_axe_violations(coach)
    coach.screenshot(path=SHOTS / f"{locale}-{width}-selfreview-coach.png", full_page=True)

    agent.reload()
    expect(agent.locator("table.calibration tr.widest")).to_contain_text(ownership)
    expect(agent.locator("main")).to_contain_text("Own the call-back.")
    no_axe_violations(agent)
    assert agent.evaluate("document.documentElement.scrollWidth") <= width
    agent.screenshot(path=SHOTS / f"{locale}-{width}-selfreview-agent.png", full_page=True)
    agent.goto(f"{server}/calls")
    expect(agent.locator(".badge.complete")).to_have_count(1)
    agent.close()
    coach.close()
