"""A new hire's first module in a real browser (Playwright driving Debian's Chromium),
in English and in Persian, with screenshots saved to test-artifacts/ for a person to look at."""

import pytest

from .browser import (
    BROWSER,
    SHOTS,
    answer_shown,
    follow,
    no_axe_violations,
    signed_in_page,
)

pytestmark = BROWSER


@pytest.mark.parametrize("locale,texts", [
    ("en", {"start": "Start", "done": "Done — next lesson", "quiz": "Go to the quiz", "begin": "Start the quiz",
            "submit": "Submit answers", "passed": "Passed", "complete": "Complete", "to_go": "{n} to go"}),
    ("fa", {"start": "شروع", "done": "خواندم — درس بعدی", "quiz": "رفتن به آزمون", "begin": "شروع آزمون",
            "submit": "ارسال پاسخ‌ها", "passed": "قبول", "complete": "تکمیل‌شده", "to_go": "{n} درس مانده"}),
])
def test_a_new_hire_reads_a_lesson_passes_the_quiz_and_sees_the_module_complete(
        app, live_app, server, browser, make_user, locale, texts):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user(f"newhire-{locale}", locale=locale)
    catalog = live_app.extensions["lms"].catalog
    page = signed_in_page(browser, server, f"newhire-{locale}")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "fa" else "ltr")
    page.screenshot(path=SHOTS / f"{locale}-1-path.png", full_page=True)

    follow(page, f"section.next >> text={texts['start']}")
    follow(page, "ol.lessons li:first-child a")
    assert page.locator(".objectives li").count() >= 2
    page.screenshot(path=SHOTS / f"{locale}-2-lesson.png", full_page=True)
    follow(page, f"text={texts['done']}")
    assert "communication-02" in page.url

    page.goto(f"{server}/modules/communication")
    follow(page, f"text={texts['quiz']}")
    follow(page, f"text={texts['begin']}")
    answered = answer_shown(page, catalog, locale)
    assert len(answered) == 16  # 10 knowledge, 4 why, 2 attitude items drawn from the bank
    page.screenshot(path=SHOTS / f"{locale}-3-quiz.png", full_page=True)
    no_axe_violations(page)
    assert page.inner_text("form.quiz button[type=submit]") == texts["submit"]
    follow(page, "form.quiz button[type=submit]")
    page.wait_for_selector("section.result.passed")
    assert texts["passed"] in page.inner_text("section.result h1")
    assert page.locator(".item-result .explanation").count() == len(answered)
    page.screenshot(path=SHOTS / f"{locale}-4-result.png", full_page=True)
    no_axe_violations(page)

    # Passed, with two lessons of five opened: the module completes once every lesson is.
    page.goto(f"{server}/")
    first = page.locator("li.module-row").first
    left = len(catalog.modules["communication"].lessons) - 2
    assert "state-in_progress" in first.get_attribute("class")
    assert texts["to_go"].format(n=left if locale == "en" else str(left).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))) \
        in first.inner_text()
    for lesson in catalog.modules["communication"].lessons[1:]:
        page.goto(f"{server}/modules/communication/lessons/{lesson.id}")
    page.goto(f"{server}/")
    assert "state-complete" in page.locator("li.module-row").first.get_attribute("class")
    assert texts["complete"] in page.locator("li.module-row").first.inner_text()
    page.screenshot(path=SHOTS / f"{locale}-5-path-after.png", full_page=True)
    page.close()


@pytest.mark.parametrize("locale,resolved", [("en", "Resolved"), ("fa", "حل‌شده")])
def test_an_agent_plays_a_roleplay_to_its_end_and_reads_the_debrief(
        app, live_app, server, browser, make_user, locale, resolved):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user(f"player-{locale}", locale=locale)
    roleplay = live_app.extensions["lms"].catalog.roleplays["rp-late-delivery"]
    page = signed_in_page(browser, server, f"player-{locale}", width=1100)
    page.goto(f"{server}/roleplays/{roleplay.id}")
    follow(page, "form button.primary")
    for node_id in roleplay.best_path()[:-1]:
        node = roleplay.nodes[node_id]
        assert node.customer[locale].strip()[:20] in page.inner_text(".turn.now")
        if node.persona_check:
            page.check(f'input[name="persona"][value="{node.persona}"]')
        best = node.best_choice.text[locale].strip()  # choices are shuffled per run: found by their text
        next(label for label in page.locator("form.reply label.choice").all()
             if label.inner_text().strip() == best).locator("input").check()
        if node_id == roleplay.start:
            page.screenshot(path=SHOTS / f"{locale}-6-roleplay.png", full_page=True)
        follow(page, "form.reply button[type=submit]")
    page.wait_for_selector("section.result")
    assert resolved in page.inner_text("section.result h1")
    assert page.locator("article.item-result.right").count() == len(roleplay.best_path()) - 1
    page.screenshot(path=SHOTS / f"{locale}-7-debrief.png", full_page=True)
    page.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_coach_assigns_a_refresher_and_answers_the_agents_question(
        app, live_app, server, browser, make_user, locale):
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_user(f"coach-{locale}", role="coach", coach_of=(f"Team {locale}",), locale=locale)
    make_user(f"agent-{locale}", team=f"Team {locale}", locale=locale)
    refresher = live_app.extensions["lms"].catalog.quizzes["communication-refresher"]
    coach = signed_in_page(browser, server, f"coach-{locale}", width=1100)
    coach.goto(f"{server}/coaching/assign")
    coach.select_option("select[name=target]", "quiz:communication-refresher")
    coach.check("input[name=agents]")
    coach.fill("textarea[name=note]", "Two short passes before Friday.")
    coach.screenshot(path=SHOTS / f"{locale}-8-assign.png", full_page=True)
    follow(coach, "main form button.primary")
    assert coach.locator("p.flash.info").count() == 1

    agent = signed_in_page(browser, server, f"agent-{locale}", width=1100)
    agent.goto(f"{server}/todo")
    assert refresher.title[locale] in agent.inner_text("ul.todos")
    assert "Two short passes before Friday." in agent.inner_text("ul.todos")
    agent.screenshot(path=SHOTS / f"{locale}-9-todo.png", full_page=True)
    agent.goto(f"{server}/modules/communication/lessons/communication-01-listen")
    follow(agent, "p.ask a")
    agent.fill("textarea[name=question]", "What if the customer never stops talking?")
    follow(agent, "main form button.primary")

    coach.goto(f"{server}/coaching")
    coach.screenshot(path=SHOTS / f"{locale}-10-coaching.png", full_page=True)
    follow(coach, "a[href*='/coaching/help/']")
    coach.fill("textarea[name=answer]", "Wait for a pause, then summarise in one sentence.")
    follow(coach, "main form button.primary")
    agent.goto(f"{server}/help")
    assert "Wait for a pause, then summarise in one sentence." in agent.inner_text("main")
    assert agent.locator(".bell .count").count() == 1  # the assignment and the answer, unread
    agent.screenshot(path=SHOTS / f"{locale}-11-answer.png", full_page=True)
    coach.close()
    agent.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_coach_scores_a_typed_reply_by_the_anchors_beside_a_model_answer(
        app, live_app, server, browser, make_user, locale):
    from sqlalchemy import select

    from lms import db
    from lms.roleplays import services
    from lms.roleplays.models import ReplyReview
    from lms.roleplays.engine import Reply

    SHOTS.mkdir(parents=True, exist_ok=True)
    team = f"Review {locale}"
    agent_id = make_user(f"typist-{locale}", team=team, locale=locale)
    make_user(f"reviewer-{locale}", role="coach", coach_of=(team,), locale=locale)
    catalog = live_app.extensions["lms"].catalog
    roleplay = catalog.roleplays["rp-late-delivery"]
    typed = next(n for n in (roleplay.nodes[i] for i in roleplay.best_path()) if n.open_reply_next)
    with live_app.app_context():  # the agent plays to the typed-reply moment and writes her own
        run = services.start_or_resume(agent_id, roleplay)
        for seq, node_id in enumerate(roleplay.best_path()):
            node = roleplay.nodes[node_id]
            persona = node.persona if node.persona_check else None
            reply = Reply(typed="I'm sorry it is late; I will check it now and tell you why.", persona=persona) \
                if node is typed else Reply(node.best_choice.id, persona=persona)
            services.take_step(agent_id, roleplay, run.id, seq, reply, catalog.personas)
            if node is typed:
                break
    coach = signed_in_page(browser, server, f"reviewer-{locale}", width=1100)
    coach.goto(f"{server}/reviews")
    follow(coach, "main a[href*='/reviews/']")
    assert typed.model_answer[locale].strip()[:25] in coach.inner_text(".model-answer")
    for criterion in roleplay.criteria:
        for level in (0, 2):
            assert typed.anchors[criterion.id][level][locale].strip()[:20] in coach.inner_text("form.review-form")
    coach.screenshot(path=SHOTS / f"{locale}-21-review-anchors.png", full_page=True)
    no_axe_violations(coach)
    for criterion in roleplay.criteria:
        coach.check(f'input[name="score-{criterion.id}"][value="2"]')
    follow(coach, "form.review-form button.primary")
    assert coach.locator("p.flash.info").count() == 1
    with live_app.app_context():
        review = db.session.scalar(select(ReplyReview))
        assert set(review.scores.values()) == {2} and review.max_points == 2
    coach.close()
