"""Assignments and the agent's to-do list: assigning to agents and teams, the bad input the
issue names (nothing half-written), doing the work, withdrawing, one click from a gap report."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.coaching import assigning
from lms.coaching.models import Assignment, Notification
from lms.coaching.todo import ASSIGNMENT, ONBOARDING, PRACTICE, build
from lms.db import utcnow
from lms.i18n import format_day
from lms.learning import attempts
from lms.learning.models import SUBMITTED, LessonRead, QuizAttempt
from lms.learning.progress import learner_state, path_progress

from .coaching_helpers import catalog, count, users
from .conftest import shown, signed_in, token_for, without_isolates
from .quiz_helpers import sheet, start, submit

DAY = date(2026, 12, 1)


def test_a_coach_assigns_to_a_whole_team_with_one_form(app, team):
    coach = signed_in(app, "maryam")
    page = coach.get("/coaching/assign").get_data(as_text=True)
    assert "Basics refresher" in page and "Sara" in page and "Parisa" not in page
    with app.app_context():
        team_id = db.session.get(User, team.sara).team_id
    response = coach.post("/coaching/assign", data={
        "target": "quiz:basics-refresher", "teams": str(team_id), "due_on": (utcnow().date() + timedelta(days=5)).isoformat(),
        "note": "Before Friday's calls", "csrf_token": token_for(coach, "/coaching/assign")})
    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalars(select(Assignment).order_by(Assignment.user_id)).all()
        assert [(a.user_id, a.target_id, a.note) for a in made] == [
            (team.sara, "basics-refresher", "Before Friday's calls"), (team.omid, "basics-refresher", "Before Friday's calls")]
        assert count(Notification, Notification.kind == "assigned") == 2
    todo = signed_in(app, "sara").get("/todo").get_data(as_text=True)
    assert "Basics refresher" in todo and "Before Friday&#39;s calls" in todo and "from <bdi>Maryam</bdi>" in todo


@pytest.mark.parametrize("form,message", [
    ({"agents": "sara", "due_on": "2020-01-01"}, "The due date Jan 1, 2020 is in the past."),
    ({"agents": "sara", "target": "quiz:nope"}, "There is no such module, quiz or role-play."),
    ({}, "Choose at least one agent or team."),
    ({"agents": "sara", "due_on": "someday"}, "Write the date as YYYY-MM-DD, or as a Jalali 1405/01/01"),
])
def test_bad_assignments_re_render_with_the_reason_and_write_nothing(app, team, form, message):
    coach = signed_in(app, "maryam")
    data = {"target": "quiz:basics-refresher", "due_on": (utcnow().date() + timedelta(days=3)).isoformat(),
            "csrf_token": token_for(coach, "/coaching/assign")}
    data.update({k: v for k, v in form.items() if k != "agents"})
    if "agents" in form:
        data["agents"] = str(getattr(team, form["agents"]))
    response = coach.post("/coaching/assign", data=data)
    assert response.status_code == 400
    assert message in shown(response)
    with app.app_context():
        assert count(Assignment) == 0 and count(Notification) == 0


def test_the_assign_form_names_nobody_beyond_the_coachs_reach(app, team, make_user):
    """Before, any user id came back as "Not in the teams you coach: <their name>": a coach
    could read who works at every site. Now such an id gets the answer of an id of nobody."""
    far = make_user("nasrin", team="Caspian", site="Tabriz")
    coach = signed_in(app, "maryam")
    answers = []
    for agent_id in (team.parisa, far, 999999):
        response = coach.post("/coaching/assign", data={
            "target": "quiz:basics-refresher", "agents": str(agent_id), "csrf_token": token_for(coach, "/coaching/assign"),
            "due_on": (utcnow().date() + timedelta(days=3)).isoformat()})
        # The form's CSRF token carries the second it was made: equal pages but for that.
        answers.append((response.status_code, re.sub(r'name="csrf_token" value="[^"]*"', "", shown(response))))
    assert {code for code, _page in answers} == {404}
    assert answers[0][1] == answers[1][1] == answers[2][1]
    assert all("Parisa" not in page and "Nasrin" not in page for _code, page in answers)
    with app.app_context():
        assert count(Assignment) == 0 and count(Notification) == 0


def test_a_team_assignment_skips_who_has_it_open_or_is_not_ours_and_goes_to_the_rest(app, team):
    from lms.audit.models import AuditEvent

    with app.app_context():
        coach, sara, omid, parisa = users(team.coach, team.sara, team.omid, team.parisa)
        refresher = assigning.find_target(catalog(app), "quiz:basics-refresher")
        due = utcnow().date() + timedelta(days=2)
        assigning.assign(coach, [sara], refresher, due)
        done = assigning.assign(coach, [omid, parisa, sara], refresher, due + timedelta(days=1))
        assert [a.user_id for a in done.made] == [omid.id]
        assert [(s.agent.id, s.reason, s.due_on) for s in done.skipped] == [
            (parisa.id, "outside", None), (sara.id, "open", due)]
        assert without_isolates(assigning.skipped_text(done.skipped)) == (
            f"Skipped: Parisa (not in the teams you coach); Sara (already has it, due {format_day(due)}).")
        made = db.session.scalars(select(AuditEvent.person_id).where(AuditEvent.kind == "assignment.made")).all()
        assert sorted(made) == sorted([sara.id, omid.id])  # one audit row per real assignment
        assert count(Notification, Notification.kind == "assigned") == 2
        with pytest.raises(assigning.AssignmentRefused,
                           match="^Nothing was assigned\\. Skipped: \u2068Omid\u2069 \\(already has it, due .*\\); \u2068Sara"):
            assigning.assign(coach, [omid, sara], refresher, due)  # nobody left: an error
        assert count(Assignment) == 2


def test_a_team_form_lists_who_was_skipped(app, team):
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        assigning.assign(coach, [sara], assigning.find_target(catalog(app), "quiz:basics-refresher"),
                         utcnow().date() + timedelta(days=2))
        team_id = sara.team_id
    client = signed_in(app, "maryam")
    response = client.post("/coaching/assign", follow_redirects=True, data={
        "target": "quiz:basics-refresher", "teams": str(team_id),
        "due_on": (utcnow().date() + timedelta(days=5)).isoformat(), "csrf_token": token_for(client, "/coaching/assign")})
    page = shown(response)
    assert response.status_code == 200 and "to one person" in page and "Skipped: Sara (already has it, due" in page
    with app.app_context():
        assert count(Assignment) == 2


def test_doing_the_work_completes_the_assignment(app, team):
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        cat = catalog(app)
        for key in ("quiz:basics-refresher", "module:basics", "roleplay:rp-late"):
            assigning.assign(coach, [sara], assigning.find_target(cat, key), utcnow().date())
        refresher = cat.quizzes["basics-refresher"]
        attempt = attempts.start_or_resume(sara.id, refresher, cat)
        attempts.submit(sara.id, refresher, cat, attempt.id, {})
        done = dict(db.session.execute(select(Assignment.target_id, Assignment.completed_at)).all())
        # A refresher is done once taken; a module only when it is complete.
        assert done["basics-refresher"] is not None and done["basics"] is None and done["rp-late"] is None
        for lesson in cat.modules["basics"].lessons:
            db.session.add(LessonRead(user_id=sara.id, lesson_id=lesson.id, lesson_version=lesson.version))
        db.session.commit()
        quiz = cat.quizzes["basics-quiz"]
        attempt = attempts.start_or_resume(sara.id, quiz, cat)
        right = {view.item.id: view.item.answer for view in attempts.shown_items(attempt, cat) if view.item.graded}
        attempts.submit(sara.id, quiz, cat, attempt.id, right)
        db.session.expire_all()
        assert db.session.scalar(select(Assignment.completed_at).where(Assignment.target_id == "basics")) is not None


def test_a_finished_roleplay_completes_its_assignment(app, team):
    from lms.roleplays import services
    from lms.roleplays.engine import Reply

    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        cat = catalog(app)
        assigning.assign(coach, [sara], assigning.find_target(cat, "roleplay:rp-late"), utcnow().date())
        rp = cat.roleplays["rp-late"]
        run = services.start_or_resume(sara.id, rp)
        run = services.take_step(sara.id, rp, run.id, 0, Reply("policy", persona="upset"), cat.personas).run
        assert run.status == "finished"
        assert db.session.scalar(select(Assignment.completed_at)) is not None


def test_one_click_on_a_gap_remedy_assigns_it(app, team):
    coach = signed_in(app, "maryam")
    page = coach.get(f"/gaps/people/{team.sara}/communication/knowledge").get_data(as_text=True)
    assert "Assign it now" in page
    token = token_for(coach, f"/gaps/people/{team.sara}/communication/knowledge")
    data = {"target": "quiz:basics-refresher", "next": f"/gaps/people/{team.sara}/communication/knowledge",
            "csrf_token": token}
    first = coach.post(f"/coaching/people/{team.sara}/accept", data=data)
    assert first.status_code == 303 and first.headers["Location"].endswith("/communication/knowledge")
    after = coach.get(first.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        made = db.session.scalar(select(Assignment.id))
    assert "Assign it now" not in after and f'/coaching/people/{team.sara}#assignment-{made}">Assigned, due' in after
    again = coach.post(f"/coaching/people/{team.sara}/accept", data=data, follow_redirects=True)
    assert "Nothing was assigned. Skipped: Sara (already has it, due" in shown(again)
    with app.app_context():
        assert count(Assignment) == 1
        assert db.session.scalar(select(Assignment.due_on)) == utcnow().date() + timedelta(days=7)
    # Someone else's agent: as if they did not exist.
    outsider = signed_in(app, "reza")
    assert outsider.post(f"/coaching/people/{team.sara}/accept",
                         data={**data, "csrf_token": token_for(outsider, "/coaching")}).status_code == 404
    assert "Assign it now" not in signed_in(app, "sara").get(
        f"/gaps/people/{team.sara}/communication/knowledge").get_data(as_text=True)


def test_a_coach_withdraws_an_assignment_and_may_assign_it_again(app, team):
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        target = assigning.find_target(catalog(app), "quiz:basics-refresher")
        made = assigning.assign(coach, [sara], target, utcnow().date() + timedelta(days=2)).made[0].id
    agent = signed_in(app, "sara")
    assert "Basics refresher" in agent.get("/todo").get_data(as_text=True)
    other = signed_in(app, "reza")
    assert other.post(f"/coaching/assignments/{made}/cancel",
                      data={"csrf_token": token_for(other, "/coaching")}).status_code == 404
    coach = signed_in(app, "maryam")
    url = f"/coaching/assignments/{made}/cancel"
    assert coach.post(url, data={"csrf_token": token_for(coach, "/coaching")}).status_code == 303
    again = coach.post(url, data={"csrf_token": token_for(coach, "/coaching")})
    assert again.status_code == 409 and "already done or withdrawn" in again.get_data(as_text=True)
    assert "Basics refresher" not in agent.get("/todo").get_data(as_text=True)
    assert "Maryam withdrew “Basics refresher”" in shown(agent.get("/notifications"))
    assert "Withdrawn" in coach.get(f"/coaching/people/{team.sara}").get_data(as_text=True)
    with app.app_context():
        coach_user, sara = users(team.coach, team.sara)
        assigning.assign(coach_user, [sara], assigning.find_target(catalog(app), "quiz:basics-refresher"),
                         utcnow().date())  # the same thing again, now that the first is withdrawn
        assert count(Assignment) == 2


def test_an_assigned_module_opens_before_its_prerequisites(app, team):
    agent = signed_in(app, "sara")
    assert agent.get("/modules/advanced").status_code == 403  # needs basics first
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        assigning.assign(coach, [sara], assigning.find_target(catalog(app), "module:advanced"), utcnow().date())
    assert agent.get("/modules/advanced").status_code == 200
    assert agent.get("/quizzes/advanced-quiz").status_code == 200
    assert signed_in(app, "omid").get("/modules/advanced").status_code == 403  # not assigned to him


def test_an_attempt_begun_through_an_assignment_stays_open_after_it_is_withdrawn(app, team):
    """The module's gate is passed when an attempt starts; withdrawing the assignment that
    opened it locks the module again but does not take the attempt in progress away."""
    with app.app_context():
        coach, sara = users(team.coach, team.sara)
        made = assigning.assign(coach, [sara], assigning.find_target(catalog(app), "module:advanced"),
                                utcnow().date()).made[0].id
    agent = signed_in(app, "sara")
    attempt_id = start(agent, "advanced-quiz")
    maryam = signed_in(app, "maryam")
    assert maryam.post(f"/coaching/assignments/{made}/cancel",
                       data={"csrf_token": token_for(maryam, "/coaching")}).status_code == 303
    assert agent.get("/quizzes/advanced-quiz").status_code == 403  # locked again: nothing new starts
    assert agent.get(f"/quizzes/advanced-quiz/attempts/{attempt_id}").status_code == 200
    assert submit(agent, attempt_id, sheet(app, attempt_id), "advanced-quiz").status_code == 303
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).status == SUBMITTED


def test_a_team_the_coach_cannot_see_is_not_found_and_its_agents_stay_unnamed(app, team):
    with app.app_context():
        zagros = db.session.get(User, team.parisa).team_id
    coach = signed_in(app, "maryam")
    response = coach.post("/coaching/assign", data={
        "target": "module:basics", "teams": str(zagros), "due_on": utcnow().date().isoformat(),
        "csrf_token": token_for(coach, "/coaching/assign")})
    assert response.status_code == 404 and "Parisa" not in response.get_data(as_text=True)
    with app.app_context():
        assert count(Assignment) == 0


def test_the_to_do_list_orders_by_due_date_marks_overdue_and_shows_each_thing_once(app, team):
    with app.app_context():
        cat = catalog(app)
        coach, sara = users(team.coach, team.sara)
        sara.hired_on = DAY - timedelta(days=10)
        progress = path_progress(cat, learner_state(sara.id))
        assigned = [SimpleNamespace(kind="module", target_id="basics", due_on=DAY + timedelta(days=3), note="",
                                    assigned_by=coach),
                    SimpleNamespace(kind="quiz", target_id="basics-refresher", due_on=DAY - timedelta(days=1), note="x",
                                    assigned_by=coach)]
        todos = build(cat, progress, sara.hired_on, assigned, 3, DAY)
        assert [(t.kind, t.title) for t in todos] == [
            (ONBOARDING, "Advanced"), (ASSIGNMENT, "Basics refresher"), (PRACTICE, ""), (ASSIGNMENT, "Basics")]
        assert [t.overdue(DAY) for t in todos] == [True, True, False, False]
        assert todos[0].locked  # advanced needs basics first


def test_without_a_hire_date_the_path_days_count_from_the_account(app, team):
    from lms.coaching.todo import todo_for

    with app.app_context():
        sara = db.session.get(User, team.sara)
        sara.hired_on, sara.created_at = None, utcnow() - timedelta(days=5)
        todos = todo_for(catalog(app), sara, utcnow().date())
        basics = next(t for t in todos if t.title == "Basics")
        assert basics.due_on == (utcnow() - timedelta(days=5)).date() and basics.overdue(utcnow().date())
