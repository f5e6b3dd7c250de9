"""The flow from one step to the next in a real browser, in English and Persian, on a desktop
and a phone: the last lesson leads on to the quiz, the quiz counts the answers given, the pass
page links the certificate just earned and the next module; staff land on their dashboard."""

import re

import pytest
from playwright.sync_api import expect

from .browser import BROWSER, SHOTS, answer_shown, follow, signed_in_page

pytestmark = BROWSER

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
NOT_A_DIGIT = "[^0-9۰-۹]"  # JavaScript's \D takes Persian digits for other characters


def digits(n, locale):
    return str(n).translate(PERSIAN_DIGITS) if locale == "fa" else str(n)


def answered(n, total, locale):
    """The progress line's text: n, then the total, in the page's digits, whatever the words."""
    return re.compile(rf"^{NOT_A_DIGIT}*{digits(n, locale)}{NOT_A_DIGIT}+{digits(total, locale)}{NOT_A_DIGIT}*$")


@pytest.mark.parametrize("locale,width", [("en", 1200), ("fa", 390)])
def test_a_new_hire_goes_from_the_last_lesson_through_the_quiz_to_the_next_module(
        app, live_app, server, browser, make_user, locale, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user(f"flow-{locale}", locale=locale)
    catalog = live_app.extensions["lms"].catalog
    first, second = (step.module_id for step in catalog.path.steps[:2])
    lessons = catalog.modules[first].lessons
    page = signed_in_page(browser, server, f"flow-{locale}", width=width)
    if width < 600:
        page.set_viewport_size({"width": 390, "height": 844})
    for lesson in lessons[:-1]:
        page.goto(f"{server}/modules/{first}/lessons/{lesson.id}")
    page.goto(f"{server}/modules/{first}/lessons/{lessons[-1].id}")
    follow(page, "form.lesson-next button")
    assert page.url.endswith(f"/quizzes/{catalog.modules[first].quiz_id}")

    follow(page, "main form button.primary")  # start the quiz
    progress = page.locator(".quiz-progress")
    total = page.locator("form.quiz fieldset.item").count()
    expect(progress).to_have_text(answered(0, total, locale))
    page.locator("form.quiz fieldset.item").first.locator("input").first.check()
    expect(progress).to_have_text(answered(1, total, locale))
    done = page.locator(".quiz-progress-done")
    assert done.get_attribute("aria-live") == "polite" and done.inner_text() == ""
    answer_shown(page, catalog, locale)
    expect(progress).to_have_text(answered(total, total, locale))
    expect(done).to_have_text(done.get_attribute("data-done"))
    page.screenshot(path=SHOTS / f"{locale}-{width}-flow-1-quiz.png", full_page=False)
    follow(page, "form.quiz button[type=submit]")

    page.wait_for_selector("section.result.passed")
    certificate = page.locator(".earned a[href$='.pdf']")
    expect(certificate).to_have_count(1)
    pdf = page.request.get(server + certificate.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    page.screenshot(path=SHOTS / f"{locale}-{width}-flow-2-passed.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    follow(page, "section.result a.button.primary")
    assert page.url.endswith(f"/modules/{second}")
    page.close()


@pytest.mark.parametrize("role,home", [("agent", "/"), ("coach", "/coaching"), ("admin", "/coaching")])
def test_each_role_lands_on_its_home_and_the_brand_leads_back_there(
        app, server, browser, make_user, role, home):
    make_user(f"home-{role}", role=role)
    page = signed_in_page(browser, server, f"home-{role}")
    assert page.url == f"{server}{home}"
    page.goto(f"{server}/certificates")
    follow(page, "a.brand")
    assert page.url == f"{server}{home}"
    page.close()
