"""A typed (short-answer) item in a real browser, on the Persian page: typed with Persian
digits, saved as given when Enter is pressed (the quiz is not sent), still there after a
reload, and reviewed with the accepted answers. Checked by axe."""

import json
import random

from playwright.sync_api import expect

from lms import db
from lms.accounts.models import User
from lms.coaching.assigning import assign_by_system, default_due, find_target
from lms.db import utcnow
from lms.learning import attempts, drawing
from lms.learning.models import QuizAttempt

from .browser import BROWSER, SHOTS, no_axe_violations, signed_in_page

pytestmark = BROWSER
QUIZ, ITEM = "product-quiz", "prod-q60"


def _attempt_asking(live_app, user_id):
    """An open attempt at the product quiz whose draw holds the typed item (a seed found by
    drawing as the service draws for a new learner); the module assigned so it is open."""
    catalog = live_app.extensions["lms"].catalog
    quiz = catalog.quizzes[QUIZ]
    seed = next(s for s in range(1000) if ITEM in {v.item.id for v in drawing.draw(quiz, {}, random.Random(s))})
    with live_app.app_context():
        assign_by_system(db.session.get(User, user_id), find_target(catalog, "module:product"),
                         default_due(utcnow()))
        db.session.commit()
        return attempts.start_or_resume(user_id, quiz, catalog, "fa", rng=random.Random(seed)).id


def test_a_typed_answer_is_saved_as_given_and_reviewed_on_the_persian_page(
        app, live_app, server, browser, make_user):
    SHOTS.mkdir(parents=True, exist_ok=True)
    attempt_id = _attempt_asking(live_app, make_user("typist-fa", locale="fa"))
    page = signed_in_page(browser, server, "typist-fa", width=1100)
    url = f"{server}/quizzes/{QUIZ}/attempts/{attempt_id}"
    page.goto(url)
    box = page.locator(f"#q-{ITEM} input.short-answer")
    expect(box).to_have_attribute("dir", "auto")
    box.fill("۷ روز")
    box.press("Enter")  # saves; does not send the quiz
    status = page.locator(".autosave-status")
    expect(status).to_have_text(status.get_attribute("data-saved"))
    assert page.url == url
    page.locator(f"#q-{ITEM}").evaluate("element => element.scrollIntoView()")
    page.screenshot(path=SHOTS / "fa-30-short-answer.png")
    no_axe_violations(page)

    page.reload()
    expect(page.locator(f"#q-{ITEM} input.short-answer")).to_have_value("۷ روز")
    with live_app.app_context():
        answer = next(a for a in db.session.get(QuizAttempt, attempt_id).answers if a.item_id == ITEM)
        assert json.loads(answer.response) == "۷ روز"  # stored as typed

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("form.quiz button[type=submit]").last.click()
    with live_app.app_context():
        answer = next(a for a in db.session.get(QuizAttempt, attempt_id).answers if a.item_id == ITEM)
        assert answer.value == 1.0  # Persian digits read as 7 days
