"""LTI 1.3 end to end against a platform built on ``lti1p3platform`` (tests/lti_platform.py),
both served on loopback: login, launch, deep linking, roster, registration, and the
launches a tool must refuse, each refused with nothing written (grade passback: test_lti_grades.py)."""

import pytest
import requests
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import Site, Team, TeamCoach, User
from lms.keys import rotate
from lms.lti.linking import role_from
from lms.lti.models import LtiAccount, LtiContext, LtiPlatform
from lms.lti.platforms import save_platform
from lms.outbox import deliver_due

from .conftest import csrf_from
from .lti_platform import (
    ADMINISTRATOR, INSTRUCTOR, LEARNER, Launch, expired, form_fields, new_private_pem, resign,
)
from .lti_helpers import (  # noqa: F401 (fixtures)
    launch_form, launched, platform, rows, session_user, signed_in_client, tool,
)
from .quiz_helpers import pass_quiz


# -- launch -------------------------------------------------------------------------------------

def test_a_learner_launch_links_an_account_joins_the_course_team_and_opens_the_quiz(app, platform):
    browser = requests.Session()
    answer = launched(browser, platform, "a", Launch("moodle-17", [LEARNER], name="Sara Karimi",
                                                     email="sara@example.com", activity="quiz:basics-quiz"))
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/quizzes/basics-quiz")
    # inside the LMS's iframe: the launch and the pages after it may be framed by the platform only
    assert f"frame-ancestors 'self' {platform.base}" in answer.headers["Content-Security-Policy"]
    page = browser.get(platform.tool + "/quizzes/basics-quiz")
    assert page.status_code == 200 and "Sara Karimi" in page.text
    assert f"frame-ancestors 'self' {platform.base}" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    with app.app_context():
        account = db.session.scalar(select(LtiAccount))
        user = account.user
        assert (account.sub, user.role, user.email, user.site.name) == (
            "moodle-17", "agent", "sara@example.com", "Learning partners")
        assert user.team.name == "CX 101"
    # the second launch finds the same account
    launched(requests.Session(), platform, "b", Launch("moodle-17", [LEARNER], activity="roleplay:rp-late"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_person_is_one_account_across_two_registrations_of_one_issuer(app, platform):
    launched(requests.Session(), platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    with app.app_context():
        first = db.session.scalar(select(LtiPlatform))
        save_platform({"name": "Moodle, second tool link", "issuer": first.issuer, "client_id": "cx-academy-2",
                       "auth_login_url": first.auth_login_url, "auth_token_url": first.auth_token_url,
                       "key_set_url": first.key_set_url, "deployment_ids": ["deployment-1"], "site_id": first.site_id})
        db.session.commit()
    platform.client_id = "cx-academy-2"
    assert launched(requests.Session(), platform, "b",
                    Launch("moodle-17", [LEARNER], activity="module:basics")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_an_instructor_becomes_a_coach_of_the_course_team_and_an_administrator_an_admin(app, platform):
    assert launched(requests.Session(), platform, "t", Launch("t-1", [INSTRUCTOR], activity="module:basics"))\
        .headers["Location"].endswith("/modules/basics")
    launched(requests.Session(), platform, "x", Launch("x-1", [ADMINISTRATOR, INSTRUCTOR], activity="module:basics"))
    with app.app_context():
        coach = db.session.scalar(select(User).join(LtiAccount).where(LtiAccount.sub == "t-1"))
        team = db.session.scalar(select(Team).where(Team.name == "CX 101"))
        assert coach.role == "coach" and db.session.get(TeamCoach, (team.id, coach.id)) is not None
        assert db.session.scalar(select(User.role).join(LtiAccount).where(LtiAccount.sub == "x-1")) == "admin"


def test_over_https_the_launch_cookies_are_third_party_ones_that_survive_cookie_blocking(app, platform, monkeypatch):
    """In an LMS's iframe our cookies are third-party: the OIDC state cookie and the session
    cookie are SameSite=None; Secure; Partitioned (CHIPS), kept by browsers that block
    unpartitioned third-party cookies. The platform here is plain HTTP on loopback, so the
    tool is driven over HTTPS by the test client from the login on."""
    monkeypatch.setitem(app.config, "LMS_BASE_URL", "https://tool.example")  # the address it is known by
    p, browser, tool = platform, requests.Session(), app.test_client()
    p.launches["a"] = Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz")
    login = tool.get("/lti/login", base_url="https://tool.example", query_string={
        "iss": p.issuer, "login_hint": "moodle-17", "lti_message_hint": "a", "client_id": p.client_id,
        "target_link_uri": "https://tool.example/lti/launch"})
    state_cookie = login.headers["Set-Cookie"]
    assert state_cookie.startswith("lti1p3-state-")
    assert all(part in state_cookie for part in ("Secure", "SameSite=None", "Partitioned", "HttpOnly"))
    authorize = browser.get(login.headers["Location"])
    action, fields = form_fields(authorize.text)
    assert action == "https://tool.example/lti/launch"
    answer = tool.post("/lti/launch", base_url="https://tool.example", data=fields)
    assert answer.status_code == 302
    session_cookie = next(c for c in answer.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert all(part in session_cookie for part in ("Secure", "SameSite=None", "Partitioned", "HttpOnly"))
    ordinary = app.test_client().get("/sign-in", base_url="https://tool.example")
    assert "SameSite=None" not in ordinary.headers.get("Set-Cookie", "")  # only LTI sessions


def test_roles_map_by_their_strongest_lti_role():
    assert role_from([LEARNER]) == "agent"
    assert role_from([INSTRUCTOR, LEARNER]) == "coach"
    assert role_from([ADMINISTRATOR]) == "admin"
    assert role_from(["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]) == "agent"


# -- refusals: each a 4xx, and nothing written ----------------------------------------------------

EVIL = new_private_pem()


def forged(fields, p):
    return dict(fields, id_token=resign(fields["id_token"], EVIL))  # the platform's kid, another key


def expired_token(fields, p):
    return dict(fields, id_token=resign(fields["id_token"], p.private_pem, exp=expired(), iat=expired() - 60))


def wrong_audience(fields, p):
    return dict(fields, id_token=resign(fields["id_token"], p.private_pem, aud="someone-else", azp="someone-else"))


def unknown_deployment(fields, p):
    return dict(fields, id_token=resign(fields["id_token"], p.private_pem,
                                        **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "dep-X"}))


@pytest.mark.parametrize("tamper, status, says", [
    (forged, 401, "Signature verification failed"),
    (expired_token, 401, "Signature has expired"),
    (wrong_audience, 403, "Registration not found"),
    (unknown_deployment, 403, "dep-X"),
])
def test_a_bad_launch_is_refused_and_writes_nothing(app, platform, tamper, status, says):
    browser = requests.Session()
    action, fields = launch_form(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    before = rows(app)
    answer = browser.post(action, data=tamper(fields, platform), allow_redirects=False)
    assert answer.status_code == status and says in answer.text
    assert rows(app) == before and before["lms_user"] == 0
    assert session_user(app, answer) is None
    # the untouched launch still goes through: the refusal spent nothing
    assert browser.post(action, data=fields, allow_redirects=False).status_code == 302


def test_a_replayed_launch_is_refused_by_its_spent_nonce(app, platform):
    action, fields = launch_form(requests.Session(), platform, "a",
                                 Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    blocked = requests.post(action, data=fields, allow_redirects=False)  # the state cookie did not come back
    assert blocked.status_code == 400 and "open CX Academy in a new window" in blocked.text
    victim = requests.Session()
    action, fields = launch_form(victim, platform, "b", Launch("moodle-18", [LEARNER], activity="quiz:basics-quiz"))
    assert victim.post(action, data=fields, allow_redirects=False).status_code == 302
    before = rows(app)
    replay = requests.Session()  # someone who captured the posted form
    answer = replay.post(action, data=fields, allow_redirects=False)
    assert answer.status_code == 400 and "Invalid Nonce" in answer.text
    assert rows(app) == before and session_user(app, answer) is None


def test_two_posts_of_one_launch_at_once_sign_in_once(app, platform):
    """The nonce is spent by one DELETE: of two racing posts, the second finds it gone."""
    from concurrent.futures import ThreadPoolExecutor

    browser = requests.Session()
    action, fields = launch_form(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    cookies = browser.cookies.get_dict()
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: requests.post(action, data=fields, cookies=cookies, allow_redirects=False),
                                range(2)))
    assert sorted(a.status_code for a in answers) == [302, 400]
    assert rows(app)["lms_lti_account"] == 1


def test_a_launch_naming_no_activity_is_refused(app, platform):
    browser = requests.Session()
    answer = launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:nope"))
    assert answer.status_code == 400 and rows(app)["lms_user"] == 0


# -- deep linking -----------------------------------------------------------------------------------

def test_deep_linking_returns_signed_picks_the_platform_verifies_even_across_a_key_rotation(app, platform):
    browser = requests.Session()
    answer = launched(browser, platform, "d", Launch("t-1", [INSTRUCTOR], deep_link=True))
    assert answer.status_code == 302 and "/lti/deep-link/" in answer.headers["Location"]
    where = platform.tool + answer.headers["Location"]
    picker = browser.get(where)
    assert 'value="quiz:basics-quiz"' in picker.text and 'value="roleplay:rp-late"' in picker.text
    done = browser.post(where, data={
        "csrf_token": csrf_from(picker.text), "activity": ["quiz:basics-quiz", "roleplay:rp-late"]})
    assert done.status_code == 200
    assert f"form-action 'self' {platform.base}" in done.headers["Content-Security-Policy"]
    action, fields = form_fields(done.text, "data-autosubmit")
    assert action == f"{platform.base}/deep-link-return"
    with app.app_context():
        rotate("RS256")  # signed before the rotation, checked after it: the old key is still published
        db.session.commit()
    assert browser.post(action, data=fields).status_code == 200
    picked = {item["custom"]["activity"]: item for item in platform.deep_link_items}
    assert set(picked) == {"quiz:basics-quiz", "roleplay:rp-late"}
    assert picked["quiz:basics-quiz"]["type"] == "ltiResourceLink"
    assert picked["quiz:basics-quiz"]["url"] == f"{platform.tool}/lti/launch"
    assert picked["quiz:basics-quiz"]["lineItem"]["scoreMaximum"] == 100


def test_a_learner_cannot_open_an_instructors_deep_linking_launch(app, platform):
    teacher = requests.Session()
    where = platform.tool + launched(teacher, platform, "d", Launch("t-1", [INSTRUCTOR], deep_link=True)).headers["Location"]
    learner = requests.Session()
    launched(learner, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    assert learner.get(where).status_code == 404


# -- roster -----------------------------------------------------------------------------------------

def test_the_coach_syncs_the_course_roster_into_the_team(app, platform):
    teacher = requests.Session()
    launched(teacher, platform, "t", Launch("t-1", [INSTRUCTOR], name="Maryam Coach", activity="module:basics"))
    platform.members = [
        {"user_id": "t-1", "roles": [INSTRUCTOR], "name": "Maryam Coach"},
        {"user_id": "s-1", "roles": [LEARNER], "name": "Omid Rahimi", "email": "omid@example.com"},
        {"user_id": "s-2", "roles": [LEARNER], "name": "Parisa Nouri"},
        {"user_id": "s-3", "roles": [LEARNER], "name": "Gone Person", "status": "Inactive"},
    ]
    page = teacher.get(platform.tool + "/lti/courses")
    assert "CX 101" in page.text
    with app.app_context():
        context_id = db.session.scalar(select(LtiContext.id))
    synced = teacher.post(f"{platform.tool}/lti/courses/{context_id}/sync", data={"csrf_token": csrf_from(page.text)})
    assert "2 new, 1 already here, 1 inactive skipped" in synced.text
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "CX 101"))
        assert sorted(a.display_name for a in team.agents) == ["Omid Rahimi", "Parisa Nouri"]
        assert [c.display_name for c in team.coaches] == ["Maryam Coach"]


def test_the_roster_sync_from_the_command_line(app, platform):
    launched(requests.Session(), platform, "t", Launch("t-1", [INSTRUCTOR], activity="module:basics"))
    platform.members = [{"user_id": "s-1", "roles": [LEARNER], "name": "Omid Rahimi"}]
    with app.app_context():
        context_id = db.session.scalar(select(LtiContext.id))
    result = app.test_cli_runner().invoke(args=["lms", "lti", "sync-roster", str(context_id)])
    assert result.exit_code == 0 and "1 new" in result.output, result.output


# -- registration, keys ----------------------------------------------------------------------------

def test_platforms_register_from_the_command_line_with_each_bad_field_named(app):
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.add(Site(name="Tehran"))
        db.session.commit()
    args = ["lms", "lti", "add-platform", "--name", "Canvas", "--issuer", "https://canvas.example.com",
            "--client-id", "10000000001", "--login-url", "https://canvas.example.com/api/lti/authorize_redirect",
            "--token-url", "https://canvas.example.com/login/oauth2/token",
            "--jwks-url", "https://canvas.example.com/api/lti/security/jwks", "--deployment-id", "1:abc",
            "--deployment-id", "2:def", "--site", "Tehran"]
    assert runner.invoke(args=args).exit_code == 0
    listed = runner.invoke(args=["lms", "lti", "list"]).output
    assert "Canvas" in listed and "1:abc, 2:def" in listed
    bad = runner.invoke(args=[a if a != "https://canvas.example.com/login/oauth2/token" else "not a url" for a in args])
    assert bad.exit_code != 0 and "--auth-token-url" in bad.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiPlatform)) == 1


def test_the_admin_registers_a_platform_on_its_page(app, make_user):
    from tests.test_routes import client_of

    admin = client_of(app, make_user("admin", role="admin"))
    home = admin.get("/admin/").get_data(as_text=True)
    assert "/admin/lti/" in home
    form = admin.get("/admin/lti/new").get_data(as_text=True)
    with app.app_context():
        site_id = db.session.scalar(select(Site.id))
    data = {"csrf_token": csrf_from(form), "name": "Moodle", "issuer": "https://moodle.example.com",
            "client_id": "abc", "auth_login_url": "https://moodle.example.com/mod/lti/auth.php",
            "auth_token_url": "ftp://moodle.example.com/token", "key_set_url": "https://moodle.example.com/certs",
            "deployment_ids": "", "site_id": str(site_id)}
    refused = admin.post("/admin/lti/new", data=data)
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Give at least one deployment id." in text and "starting with https://" in text
    data.update(auth_token_url="https://moodle.example.com/mod/lti/token.php", deployment_ids="1\n2")
    assert admin.post("/admin/lti/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LtiPlatform.deployment_ids)) == ["1", "2"]


def test_the_admin_removes_a_platform_keeping_its_people_and_their_history(app, platform, make_user):
    from lms.audit.models import AuditEvent
    from lms.learning.models import QuizAttempt
    from tests.test_routes import client_of

    learner = requests.Session()
    launched(learner, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    pass_quiz(app, signed_in_client(app, learner))  # a score waits in the outbox
    teacher = requests.Session()
    launched(teacher, platform, "d", Launch("t-1", [INSTRUCTOR], deep_link=True))  # a course editor's, cached
    with app.app_context():
        platform_id = db.session.scalar(select(LtiPlatform.id))
        assert rows(app)["lms_lti_state"] > 0
    admin = client_of(app, make_user("admin", role="admin"))
    page = admin.get(f"/admin/lti/{platform_id}").get_data(as_text=True)
    assert "Remove this platform" in page and "keep their CX Academy accounts" in page
    refused = admin.post(f"/admin/lti/{platform_id}/remove", data={"csrf_token": csrf_from(page), "confirm": "moodle"})
    assert refused.status_code == 400 and "Type the platform" in refused.get_data(as_text=True)
    assert admin.post(f"/admin/lti/{platform_id}/remove", data={"confirm": "Moodle"}).status_code == 400  # no CSRF
    assert rows(app)["lms_lti_platform"] == 1
    done = admin.post(f"/admin/lti/{platform_id}/remove", data={"csrf_token": csrf_from(page), "confirm": "Moodle"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/lti/")
    after = rows(app)
    assert {name: after[name] for name in ("lms_lti_platform", "lms_lti_account", "lms_lti_context",
                                           "lms_lti_score_route")} == dict.fromkeys(
        ("lms_lti_platform", "lms_lti_account", "lms_lti_context", "lms_lti_score_route"), 0)
    with app.app_context():
        from lms.lti.models import LtiState
        assert not [s.key for s in db.session.scalars(select(LtiState)) if "launch" in s.key]
        learner_user = db.session.scalar(select(User).where(User.display_name == "Nader Ahmadi", User.role == "agent"))
        assert learner_user is not None and learner_user.active and learner_user.team.name == "CX 101"
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == learner_user.id)) == 1
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "lti.platform_removed"))
        assert event.before["name"] == "Moodle" and event.after["people unlinked"] == 2
        assert event.actor_name and event.after["courses unlinked"] == 1
        # the waiting score is dropped, not sent to a platform that is no longer ours
        assert deliver_due()["sent"] == 1 and platform.scores == []
    # and the platform's logins are refused now
    platform.launches["b"] = Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz")
    refused = requests.get(f"{platform.base}/start/b")
    assert refused.status_code == 400 and "Could not find registration details" in refused.text


def test_the_key_set_publishes_retired_keys_after_a_rotation(app, client):
    first = client.get("/lti/jwks.json").get_json()["keys"]
    with app.app_context():
        rotate("RS256")
        db.session.commit()
    after = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(first) == 1 and first[0]["kid"] in {k["kid"] for k in after} and len(after) == 2
    assert all(k["alg"] == "RS256" and k["kty"] == "RSA" and "d" not in k for k in after)
