"""No dead ends, in a real browser: a role-play reply can be changed before it is sent and a
refused one comes back with its text; a team assignment goes to everyone who can take it; an
expired form comes back with what was typed; a wrong address says what to do next."""

import pytest
from sqlalchemy import func, select

from .browser import BROWSER, SHOTS, follow, no_axe_violations, signed_in_page

pytestmark = BROWSER

MINE = "I am sorry it is late; I will check it now and tell you why."


def _play_to_the_typed_moment(live_app, agent_id):
    """Play rp-late-delivery's best path up to the moment that takes a typed reply; that node."""
    from lms.roleplays import services
    from lms.roleplays.engine import Reply

    catalog = live_app.extensions["lms"].catalog
    roleplay = catalog.roleplays["rp-late-delivery"]
    with live_app.app_context():
        run = services.start_or_resume(agent_id, roleplay)
        for seq, node_id in enumerate(roleplay.best_path()):
            node = roleplay.nodes[node_id]
            if node.open_reply_next:
                return roleplay, run.id, node
            persona = node.persona if node.persona_check else None
            services.take_step(agent_id, roleplay, run.id, seq, Reply(node.best_choice.id, persona=persona),
                               catalog.personas)
    raise AssertionError("the best path has no typed-reply moment")


def _steps(live_app, run_id):
    from lms import db
    from lms.roleplays.models import RoleplayStep

    with live_app.app_context():
        return db.session.scalars(select(RoleplayStep).where(RoleplayStep.run_id == run_id)
                                  .order_by(RoleplayStep.seq)).all()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_ticked_reply_can_be_changed_to_ones_own_words(app, live_app, server, browser, make_user, locale):
    SHOTS.mkdir(parents=True, exist_ok=True)
    agent_id = make_user(f"changer-{locale}", locale=locale)
    roleplay, run_id, node = _play_to_the_typed_moment(live_app, agent_id)
    page = signed_in_page(browser, server, f"changer-{locale}", width=1100)
    page.goto(f"{server}/roleplays/{roleplay.id}/runs/{run_id}")
    assert page.locator("h1").inner_text().strip() == roleplay.title[locale].strip()
    own_box = page.locator("form.reply textarea[name=typed]")
    page.locator("form.reply label.choice input[name=choice]").first.check()
    assert not own_box.is_visible()
    page.check("form.reply .write-own input")  # changing one's mind is one more tick
    own_box.fill(MINE)
    page.locator("form.reply label.choice input[name=choice]").first.check()
    assert not own_box.is_visible()  # put aside, not lost
    page.check("form.reply .write-own input")
    assert own_box.input_value() == MINE
    page.screenshot(path=SHOTS / f"{locale}-roleplay-own-reply.png", full_page=True)
    follow(page, "form.reply button[type=submit]")
    steps = _steps(live_app, run_id)
    assert (steps[-1].node_id, steps[-1].choice_id, steps[-1].typed_reply) == (node.id, None, MINE)
    assert page.locator("p.error").count() == 0
    page.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_without_scripts_a_reply_sent_twice_over_comes_back_with_its_text(
        app, live_app, server, browser, make_user, locale):
    from .conftest import PASSWORD

    agent_id = make_user(f"noscript-{locale}", locale=locale)
    roleplay, run_id, node = _play_to_the_typed_moment(live_app, agent_id)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server}/sign-in")
    page.fill("input[name=username]", f"noscript-{locale}")
    page.fill("input[name=password]", PASSWORD)
    follow(page, "button.primary")
    page.goto(f"{server}/roleplays/{roleplay.id}/runs/{run_id}")
    page.check("form.reply .write-own input")
    page.fill("form.reply textarea[name=typed]", MINE)
    page.locator("form.reply label.choice input[name=choice]").first.check()  # both: a listed reply and text
    follow(page, "form.reply button[type=submit]")
    assert page.locator("form.reply p.error").is_visible()
    assert page.locator("form.reply textarea[name=typed]").input_value() == MINE
    assert page.locator("form.reply textarea[name=typed]").is_visible()
    assert node.customer[locale].strip()[:20] in page.inner_text(".turn.now")
    page.screenshot(path=SHOTS / f"{locale}-roleplay-refused-reply.png", full_page=True)
    assert len(_steps(live_app, run_id)) == len(roleplay.best_path()[:roleplay.best_path().index(node.id)])
    page.check("form.reply .write-own input")
    follow(page, "form.reply button[type=submit]")
    assert _steps(live_app, run_id)[-1].typed_reply == MINE
    context.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_team_assignment_reaches_the_rest_and_a_remedy_assigned_shows_as_assigned(
        app, live_app, server, browser, make_user, locale):
    from lms import db
    from lms.coaching import assigning
    from lms.coaching.models import Assignment
    from lms.accounts.models import User

    team = f"Skip {locale}"
    coach_id = make_user(f"skipper-{locale}", role="coach", coach_of=(team,), locale=locale)
    has_it = make_user(f"hasit-{locale}", team=team, locale=locale)
    fresh = make_user(f"fresh-{locale}", team=team, locale=locale)
    with live_app.app_context():
        coach, agent = db.session.get(User, coach_id), db.session.get(User, has_it)
        refresher = assigning.find_target(live_app.extensions["lms"].catalog, "quiz:communication-refresher")
        assigning.assign(coach, [agent], refresher, assigning.default_due(assigning.utcnow()))
    page = signed_in_page(browser, server, f"skipper-{locale}", width=1100)
    page.goto(f"{server}/coaching/assign")
    page.select_option("select[name=target]", "quiz:communication-refresher")
    page.check("input[name=teams]")
    follow(page, "main form button.primary")
    assigned, skipped = page.locator("p.flash.info").all_inner_texts()  # who got it; who did not, and why
    assert f"Hasit-{locale.title()}" in skipped and f"Fresh-{locale.title()}" not in skipped
    page.screenshot(path=SHOTS / f"{locale}-assign-skipped.png", full_page=True)
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)
                                 .where(Assignment.user_id.in_([has_it, fresh]))) == 2

    page.goto(f"{server}/gaps/people/{fresh}/problem_solving/knowledge")
    follow(page, "ul.remedies form button")
    remedies = page.locator("ul.remedies")
    assert remedies.locator("form button").count() == 0  # no second "Assign it now"
    follow(page, "ul.remedies a.badge")
    assert page.locator("tr:target").count() == 1
    page.screenshot(path=SHOTS / f"{locale}-remedy-assigned.png", full_page=True)
    page.close()


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_an_expired_question_is_kept_over_signing_in_again_and_a_wrong_address_leads_on(
        app, live_app, server, browser, make_user, locale):
    from lms import db
    from lms.coaching.models import HelpRequest

    from .conftest import PASSWORD

    make_user(f"asker-{locale}", team=f"Ask {locale}", locale=locale)
    question = "What if the customer never stops talking?"
    page = signed_in_page(browser, server, f"asker-{locale}", width=1100)
    page.goto(f"{server}/help/ask?lesson=communication-01-listen")
    page.fill("textarea[name=question]", question)
    page.evaluate("document.querySelector('main form input[name=csrf_token]').value = 'expired'")  # the page was left open
    follow(page, "main form button.primary")
    assert page.locator("textarea[name=question]").input_value() == question
    no_axe_violations(page)
    page.screenshot(path=SHOTS / f"{locale}-form-expired.png", full_page=True)
    page.context.clear_cookies()  # and then the session ended too
    follow(page, "main form button.primary")
    assert question in page.inner_text("blockquote.kept-text")
    page.screenshot(path=SHOTS / f"{locale}-form-signed-out.png", full_page=True)
    follow(page, "main a.button.primary")
    page.fill("input[name=username]", f"asker-{locale}")
    page.fill("input[name=password]", PASSWORD)
    follow(page, "button.primary")
    assert page.locator("textarea[name=question]").input_value() == question
    no_axe_violations(page)  # the crawl of every page cannot reach this one
    follow(page, "main form button.primary")
    with live_app.app_context():
        assert db.session.scalars(select(HelpRequest.question)).all() == [question]

    page.context.clear_cookies()
    page.goto(f"{server}/modles/communication")
    assert "/modles/communication" in page.inner_text("main")
    follow(page, "main a.button.primary")  # sign in, not "Back to my path"
    assert "/sign-in" in page.url
    page.close()
