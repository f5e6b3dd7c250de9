"""What coaches do feeds the support dimension: follow-ups of failed quizzes, help requests,
reviews in time, coaching contact per period; and managers see coaches whose actions are late."""

import re
from datetime import timedelta

from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.coaching import assigning, help_requests, one_on_ones
from lms.coaching.oversight import coaches_late
from lms.db import utcnow
from lms.gaps.queries import cell_evidence
from lms.gaps.scoring import GapSettings
from lms.learning import attempts

from .coaching_helpers import catalog, users
from .conftest import signed_in


def _take_quiz(app, user_id, when, right=False):
    """An attempt at the basics quiz (topic communication), blank or all right."""
    cat = catalog(app)
    quiz = cat.quizzes["basics-quiz"]
    attempt = attempts.start_or_resume(user_id, quiz, cat, now=when)
    answers = {view.item.id: view.item.answer for view in attempts.shown_items(attempt, cat)
               if view.item.graded} if right else {}
    return attempts.submit(user_id, quiz, cat, attempt.id, answers, now=when + timedelta(minutes=5)).attempt


def _fail_quiz(app, user_id, when):
    return _take_quiz(app, user_id, when)


def test_a_failed_quiz_is_followed_up_only_by_action_on_its_topic_and_closed_by_a_later_pass(app, team):
    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara, omid, parisa = users(team.coach, team.sara, team.omid, team.parisa)
        cat = catalog(app)
        # Sara failed 10 days ago and her coach assigned the topic's refresher the next day: followed up (1).
        _fail_quiz(app, sara.id, now - timedelta(days=10))
        assigning.assign(coach, [sara], assigning.find_target(cat, "quiz:basics-refresher"), now.date(),
                         now=now - timedelta(days=9))
        # Omid failed 10 days ago; his coach assigned a role-play on another topic and held a 1:1
        # on another topic: neither follows up a communication quiz (0).
        _fail_quiz(app, omid.id, now - timedelta(days=10))
        assigning.assign(coach, [omid], assigning.find_target(cat, "roleplay:rp-late"), now.date(),
                         now=now - timedelta(days=9))
        one_on_ones.log(coach, omid, "policies", (now - timedelta(days=8)).date(), "Why", "Next",
                        now=now - timedelta(days=8))
        help_requests.ask(omid, cat, "lesson", "basics-01-hello", "Help?", now - timedelta(days=3))
        # A fresh failure says nothing yet: its follow-up window is still open.
        _fail_quiz(app, omid.id, now - timedelta(days=1))
        # Parisa failed 6 days ago and passed the day after, before anyone acted: closed, no signal.
        _fail_quiz(app, parisa.id, now - timedelta(days=6))
        _take_quiz(app, parisa.id, now - timedelta(days=5), right=True)

        def signals(user_id, source):
            return [r.value for r in cell_evidence(db.session, now, settings, user_id, "communication", "support")
                    if r.source == source]

        assert signals(sara.id, "followup") == [1.0]
        assert signals(omid.id, "followup") == [0.0]
        assert signals(omid.id, "help") == [0.0]
        assert signals(parisa.id, "followup") == []
        # The assignment counts as coaching contact in this period, for every topic.
        contact = [r for r in cell_evidence(db.session, now, settings, sara.id, "policies", "support")
                   if r.source == "coaching_contact" and r.item_id == "period-0"]
        assert [r.value for r in contact] == ([1.0] if sara.created_at <= now - timedelta(days=30) else [])

        lines = {line.coach.username: line for line in coaches_late(sara.site_id, now, settings)}
        assert (lines["maryam"].followups, lines["maryam"].help) == (1, 1)
        assert lines["reza"].total == 0


def test_the_dashboard_and_the_late_coaches_page_agree_on_late_follow_ups(app, team):
    now = utcnow()
    with app.app_context():
        coach, sara, omid = users(team.coach, team.sara, team.omid)
        _fail_quiz(app, sara.id, now - timedelta(days=12))  # late, still open
        _fail_quiz(app, omid.id, now - timedelta(days=12))
        one_on_ones.log(coach, omid, "communication", (now - timedelta(days=2)).date(), "Listening", "Practise",
                        now=now - timedelta(days=2))  # acted, but after the window: late, yet no longer open
        _fail_quiz(app, omid.id, now - timedelta(days=1))  # open, not late yet
    dashboard = signed_in(app, "maryam").get("/coaching").get_data(as_text=True)
    late_page = signed_in(app, "manager").get("/coaching/late").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> follow-ups past their window", dashboard)
    assert re.search(r"<strong>2</strong> failed quizzes to follow up", dashboard)
    assert dashboard.count('<span class="badge failed">Late</span>') == 1
    maryam_row = next(row for row in late_page.split("<tr") if "Maryam" in row)
    assert re.findall(r"<td[^>]*>(\d+)</td>", maryam_row)[:3] == ["0", "0", "1"]
    with app.app_context():
        # The support cell reads the same definition: Omid's late 1:1 earns 0, Sara's wait 0.
        values = {u: [r.value for r in cell_evidence(db.session, now, GapSettings(), u, "communication", "support")
                      if r.source == "followup"] for u in (team.sara, team.omid)}
        assert values == {team.sara: [0.0], team.omid: [0.0]}


def test_help_answered_in_time_or_late(app, team):
    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        cat = catalog(app)
        quick = help_requests.ask(sara, cat, "item", "b-tf", "Why?", now - timedelta(days=5))
        help_requests.answer(coach, quick, "Because.", now - timedelta(days=4))
        slow = help_requests.ask(sara, cat, "lesson", "basics-01-hello", "And this?", now - timedelta(days=6))
        help_requests.answer(coach, slow, "Later.", now - timedelta(days=1))
        values = sorted(r.value for r in cell_evidence(db.session, now, settings, sara.id, "communication", "support")
                        if r.source == "help")
        assert values == [0.5, 1.0]


def test_managers_see_late_coaches_and_agents_do_not(app, team):
    with app.app_context():
        help_requests.ask(db.session.get(User, team.sara), catalog(app), "lesson", "basics-01-hello", "Hm?",
                          utcnow() - timedelta(days=3))
    page = signed_in(app, "manager").get("/coaching/late").get_data(as_text=True)
    assert "Maryam" in page and "Reza" in page
    assert signed_in(app, "sara").get("/coaching/late").status_code == 403
    assert signed_in(app, "maryam").get("/coaching/late").status_code == 403


def test_typed_replies_reviewed_in_time_late_or_not_at_all(app, team):
    """Found while adding coaching signals: on SQLite, "timestamp + window" compared as a
    number, so a review in time counted as late. later() computes it on both engines."""
    from lms.roleplays import services
    from lms.roleplays.engine import Reply
    from lms.roleplays.models import RoleplayStep

    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara, omid, parisa = users(team.coach, team.sara, team.omid, team.parisa)
        cat = catalog(app)
        rp = cat.roleplays["rp-late"]
        for agent, reviewed_after in ((sara, 1), (omid, 5), (parisa, None)):
            run = services.start_or_resume(agent.id, rp, now=now - timedelta(days=6))
            services.take_step(agent.id, rp, run.id, 0, Reply(typed="Sorry, I will fix it.", persona="upset"),
                               cat.personas, now=now - timedelta(days=6))
            if reviewed_after:
                step = db.session.scalar(select(RoleplayStep).where(RoleplayStep.run_id == run.id))
                services.save_review(coach, step, rp, {"empathy": 2, "explains_why": 1}, "",
                                     now=now - timedelta(days=6 - reviewed_after))
        values = [[r.value for r in cell_evidence(db.session, now, settings, agent.id, "policies", "support")
                   if r.source == "review_wait"] for agent in (sara, omid, parisa)]
        assert values == [[1.0], [0.5], [0.0]]


def test_coaching_contact_counts_each_period_a_coach_was_in_touch(app, team):
    settings, now = GapSettings(), utcnow()
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        sara.created_at = now - timedelta(days=100)
        db.session.commit()
        # Period 1 (30-60 days ago): an assignment; period 0: a 1:1; period 2: nothing.
        assigning.assign(coach, [sara], assigning.find_target(catalog(app), "module:basics"), now.date(),
                         now=now - timedelta(days=45))
        one_on_ones.log(coach, sara, "policies", (now - timedelta(days=5)).date(), "Why", "Next",
                        now=now - timedelta(days=5))
        for topic in ("communication", "policies"):
            contact = {r.item_id: r.value for r in cell_evidence(db.session, now, settings, sara.id, topic, "support")
                       if r.source == "coaching_contact"}
            assert contact == {"period-0": 1.0, "period-1": 1.0, "period-2": 0.0}
