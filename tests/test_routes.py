"""Every route, asked by every kind of person: the agent whose record it is, another agent, a
coach of another team, a manager of another site, an admin and a visitor who is signed out.
The table below is the contract: a route added without an entry fails
``test_every_route_has_an_entry``, and each entry is checked on each engine.

Codes: 200 a page; 302 sent to sign in (or on); 303 done, then on; 400 a form refused for
what it lacks (so the person got past the access check); 403 refused; 404 "no such thing for
you" (we answer 404 rather than 403 where saying "it exists" would leak a person's record)."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.coaching import assigning, help_requests
from lms.coaching.models import Notification, PracticeRound
from lms.credentials import issuing
from lms.db import utcnow
from lms.jobs import queue
from lms.jobs.models import Job
from lms.recognition import recording
from lms.roleplays.models import RoleplayStep
from lms.roster.batches import store_batch
from lms.selfreview import services as selfreview

from .conftest import csrf_from
from .quiz_helpers import catalog, start
from .test_roleplays import play

ROLES = ("self", "other_agent", "other_coach", "other_manager", "admin", "visitor")


def codes(self, other_agent, other_coach, other_manager, admin, visitor):
    return dict(zip(ROLES, (self, other_agent, other_coach, other_manager, admin, visitor)))


# Shorthands for the common answers.
EVERYONE = codes(200, 200, 200, 200, 200, 200)
SIGNED_IN = codes(200, 200, 200, 200, 200, 302)
LEADERS = codes(403, 403, 200, 200, 200, 302)
SITE_RUNNERS = codes(403, 403, 403, 200, 200, 302)
ADMINS = codes(403, 403, 403, 403, 200, 302)
#: The agent's own record: theirs, their site's manager's and admins' (the table's manager
#: runs another site, so is refused); 404 so that an id says nothing about whose it is.
OWN_RECORD = codes(200, 404, 404, 404, 200, 302)
ONLY_OWN = codes(200, 404, 404, 404, 404, 302)
#: A team's page: its own coaches', its site's managers' and admins'. Agents are refused by
#: role; a leader beyond its reach gets the 404 of a missing id, so ids say nothing.
TEAM = codes(403, 403, 404, 404, 200, 302)
#: An administration page of one person or team: refused by role, and 404 for a manager of
#: another site (the same answer as for an id of nobody).
SITE_RECORD = codes(403, 403, 403, 404, 200, 302)

#: endpoint -> (method, url of the world, expected codes[, form data of the world])
TABLE = {
    # signing in and out, the language switch
    "lms.accounts.login": ("GET", "/sign-in", EVERYONE),  # signed in too: to switch to another account
    # a form kept over a lost session, to send again: nothing kept here, so on to the path (or sign-in)
    "lms.accounts.resend": ("GET", "/sign-in/kept", codes(302, 302, 302, 302, 302, 302)),
    "lms.accounts.logout": ("POST", "/sign-out", codes(302, 302, 302, 302, 302, 302)),
    "lms.accounts.set_language": ("POST", "/language", codes(400, 400, 400, 400, 400, 400)),
    # learning: content is everyone's once signed in; attempts are the agent's own
    "lms.learning.path": ("GET", "/", SIGNED_IN),
    "lms.learning.module": ("GET", "/modules/basics", SIGNED_IN),
    "lms.learning.lesson": ("GET", "/modules/basics/lessons/{w.lesson}", SIGNED_IN),
    "lms.learning.mark_read": ("POST", "/modules/basics/lessons/{w.lesson}/read", codes(302, 302, 302, 302, 302, 302)),
    "lms.learning.quiz": ("GET", "/quizzes/basics-quiz", SIGNED_IN),
    "lms.learning.start_quiz": ("POST", "/quizzes/{w.quiz}/start", codes(303, 303, 303, 303, 303, 302)),
    "lms.learning.attempt": ("GET", "/quizzes/{w.quiz}/attempts/{w.attempt}", ONLY_OWN),
    "lms.learning.save_answers": ("POST", "/quizzes/{w.quiz}/attempts/{w.attempt}/answers",
                                  codes(200, 404, 404, 404, 404, 302)),
    "lms.learning.submit_quiz": ("POST", "/quizzes/{w.quiz}/attempts/{w.attempt}", codes(303, 404, 404, 404, 404, 302)),
    # role-plays: a run is its player's; a typed reply is reviewed by the player's coaches
    "lms.roleplays.index": ("GET", "/roleplays", SIGNED_IN),
    "lms.roleplays.intro": ("GET", "/roleplays/rp-late", SIGNED_IN),
    "lms.roleplays.start": ("POST", "/roleplays/rp-late/start", codes(303, 303, 303, 303, 303, 302)),
    "lms.roleplays.run": ("GET", "/roleplays/rp-late/runs/{w.run}", ONLY_OWN),
    "lms.roleplays.reply": ("POST", "/roleplays/rp-late/runs/{w.run}", codes(400, 404, 404, 404, 404, 302)),
    "lms.roleplays.review_queue": ("GET", "/reviews", codes(403, 403, 200, 403, 200, 302)),
    "lms.roleplays.review": ("GET", "/reviews/{w.step}", codes(404, 404, 404, 404, 200, 302)),
    # self-reviews of real calls: an agent's own; scored by the agent's team coaches (or an admin)
    "lms.selfreview.mine": ("GET", "/calls", codes(200, 200, 403, 403, 403, 302)),
    "lms.selfreview.new": ("GET", "/calls/new?rubric=rp-late", codes(200, 200, 403, 403, 403, 302)),
    "lms.selfreview.show": ("GET", "/calls/{w.call}", OWN_RECORD),
    "lms.selfreview.score": ("POST", "/calls/{w.call}/score", codes(404, 404, 404, 404, 400, 302)),  # no scores: 400
    # gaps
    "lms.gaps.home": ("GET", "/gaps/", codes(302, 302, 302, 302, 302, 302)),  # on to each one's own report
    "lms.gaps.person": ("GET", "/gaps/people/{w.sara}", OWN_RECORD),
    "lms.gaps.person_export": ("GET", "/gaps/people/{w.sara}/report.csv", OWN_RECORD),
    "lms.gaps.cell": ("GET", "/gaps/people/{w.sara}/communication/knowledge", OWN_RECORD),
    "lms.gaps.team": ("GET", "/gaps/teams/{w.alborz}", TEAM),
    "lms.gaps.team_export": ("GET", "/gaps/teams/{w.alborz}/report.csv", TEAM),
    "lms.gaps.site": ("GET", "/gaps/site", SITE_RUNNERS),
    "lms.gaps.site_export": ("GET", "/gaps/site/report.csv", SITE_RUNNERS),
    "lms.gaps.settings": ("GET", "/gaps/settings", SITE_RUNNERS),
    # teams and people as leaders follow them
    "lms.teams.list": ("GET", "/teams", LEADERS),
    "lms.teams.team": ("GET", "/teams/{w.alborz}", TEAM),
    "lms.teams.person": ("GET", "/people/{w.sara}", OWN_RECORD),
    # coaching
    "lms.coaching.todo": ("GET", "/todo", SIGNED_IN),
    "lms.coaching.practice": ("GET", "/practice", SIGNED_IN),
    "lms.coaching.practice_round": ("GET", "/practice/rounds/{w.round}", ONLY_OWN),
    "lms.coaching.ask": ("GET", "/help/ask?lesson={w.lesson}", codes(200, 200, 403, 403, 403, 302)),
    "lms.coaching.my_help": ("GET", "/help", SIGNED_IN),
    "lms.coaching.dashboard": ("GET", "/coaching", LEADERS),
    "lms.coaching.assign": ("GET", "/coaching/assign", LEADERS),
    "lms.coaching.person": ("GET", "/coaching/people/{w.sara}", codes(403, 403, 404, 404, 200, 302)),
    "lms.coaching.accept_remedy": ("POST", "/coaching/people/{w.sara}/accept", codes(404, 404, 404, 404, 303, 302),
                                   {"target": "quiz:basics-quiz"}),
    "lms.coaching.cancel_assignment": ("POST", "/coaching/assignments/{w.assignment}/cancel",
                                       codes(403, 403, 404, 404, 303, 302)),
    "lms.coaching.help_request": ("GET", "/coaching/help/{w.help}", TEAM),
    "lms.coaching.late_coaches": ("GET", "/coaching/late", SITE_RUNNERS),
    # does coaching work: a coach's own teams, a manager's site
    "lms.effect.page": ("GET", "/coaching/effectiveness", LEADERS),
    "lms.effect.export": ("GET", "/coaching/effectiveness/report.csv", LEADERS),
    "lms.coaching.notifications": ("GET", "/notifications", SIGNED_IN),
    "lms.coaching.open_notification": ("GET", "/notifications/{w.notification}", codes(303, 404, 404, 404, 404, 302)),
    "lms.coaching.read_all": ("POST", "/notifications/read", codes(303, 303, 303, 303, 303, 302)),
    "lms.pulse.pulse": ("GET", "/pulse", codes(200, 200, 403, 403, 403, 302)),
    # recognition: agents see theirs and praise their teammates; leaders the agents they coach;
    # a colleague's praise is acknowledged by the agent's leaders; the monthly sheet is a site's
    "lms.recognition.index": ("GET", "/recognition/", SIGNED_IN),
    "lms.recognition.export": ("GET", "/recognition/report.csv", LEADERS),
    "lms.recognition.sheet": ("GET", "/recognition/sheet.pdf", SITE_RUNNERS),  # each their own site's
    "lms.recognition.record": ("GET", "/recognition/people/{w.sara}/praise", codes(404, 200, 404, 404, 200, 302)),
    "lms.recognition.acknowledge": ("POST", "/recognition/praise/{w.praise}/acknowledge",
                                    codes(404, 404, 404, 404, 303, 302)),
    # the culture pulse: a site's agents and coaches answer it; its report is the managers'
    "lms.pulse.culture": ("GET", "/culture", codes(200, 200, 200, 403, 403, 302)),
    "lms.pulse.culture_report": ("GET", "/culture/report", SITE_RUNNERS),
    "lms.pulse.culture_export": ("GET", "/culture/report.csv", SITE_RUNNERS),
    # certificates: the holder's own, a site's managers', anyone's verification
    "lms.credentials.mine": ("GET", "/certificates", SIGNED_IN),
    "lms.credentials.download": ("GET", "/certificates/{w.code}.pdf", OWN_RECORD),
    "lms.credentials.badge": ("GET", "/certificates/{w.code}/badge.json", OWN_RECORD),
    "lms.credentials.badge_jwt": ("GET", "/certificates/{w.code}/badge.jwt", OWN_RECORD),
    # what a verifier fetches to check a badge: public
    "lms.credentials.issuer": ("GET", "/badges/issuer", EVERYONE),
    "lms.credentials.keys": ("GET", "/badges/keys", EVERYONE),
    "lms.credentials.status_list": ("GET", "/badges/status/0", EVERYONE),
    "lms.credentials.verify": ("GET", "/verify/{w.code}", EVERYONE),
    "lms.credentials.manage": ("GET", "/manage/certificates", SITE_RUNNERS),
    "lms.credentials.issue": ("POST", "/manage/certificates/issue", codes(403, 403, 403, 404, 400, 302),
                               {"user_id": "{w.sara}", "subject": "module:basics"}),  # not completed: 400
    "lms.credentials.revoke": ("POST", "/manage/certificates/{w.code}/revoke", codes(403, 403, 403, 404, 400, 302)),
    "lms.credentials.restore": ("POST", "/manage/certificates/{w.revoked}/restore", codes(403, 403, 403, 404, 303, 302),
                                {"reason": "revoked by mistake"}),
    "lms.credentials.print_selection": ("GET", "/manage/certificates/print.pdf",
                                        codes(403, 403, 403, 404, 200, 302)),  # nothing on their site to print
    # running a site
    "lms.item_analysis.items": ("GET", "/admin/items/", ADMINS),
    "lms.item_analysis.export": ("GET", "/admin/items/report.csv", ADMINS),
    "lms.item_analysis.refresh": ("POST", "/admin/items/refresh", codes(403, 403, 403, 403, 303, 302)),
    "lms.audit.events": ("GET", "/admin/audit/", SITE_RUNNERS),
    "lms.audit.export": ("GET", "/admin/audit/trail.csv", SITE_RUNNERS),
    # running a site: people, teams, sites (a manager their own site's, an admin every site's)
    "lms.accounts.account": ("GET", "/account", SIGNED_IN),
    "lms.people.home": ("GET", "/admin/", SITE_RUNNERS),
    "lms.people.list": ("GET", "/admin/people/", SITE_RUNNERS),
    "lms.people.new": ("GET", "/admin/people/new", SITE_RUNNERS),
    "lms.people.first_passwords": ("POST", "/admin/people/first-passwords", codes(403, 403, 403, 303, 303, 302)),
    "lms.people.person": ("GET", "/admin/people/{w.sara}", SITE_RECORD),
    "lms.people.deactivate": ("POST", "/admin/people/{w.sara}/deactivate", codes(403, 403, 403, 404, 400, 302)),
    "lms.people.reactivate": ("POST", "/admin/people/{w.sara}/reactivate", codes(403, 403, 403, 404, 400, 302)),
    "lms.people.reset_password": ("POST", "/admin/people/{w.sara}/password", SITE_RECORD),
    "lms.people.teams": ("GET", "/admin/teams/", SITE_RUNNERS),
    "lms.people.team": ("GET", "/admin/teams/{w.alborz}", SITE_RECORD),
    "lms.people.add_coach": ("POST", "/admin/teams/{w.alborz}/coaches", codes(403, 403, 403, 404, 400, 302)),
    "lms.people.remove_coach": ("POST", "/admin/teams/{w.alborz}/coaches/{w.coach}/remove",
                                codes(403, 403, 403, 404, 302, 302)),
    "lms.people.sites": ("GET", "/admin/sites/", ADMINS),
    "lms.people.site": ("GET", "/admin/sites/{w.site}", ADMINS),
    # people import: a manager into their own site; a batch is its site's managers' and admins'
    "lms.roster.upload": ("GET", "/admin/import/", SITE_RUNNERS),
    "lms.roster.template": ("GET", "/admin/import/template.csv", SITE_RUNNERS),
    "lms.roster.preview": ("GET", "/admin/import/{w.batch}", ADMINS),
    "lms.roster.confirm": ("POST", "/admin/import/{w.batch}", codes(403, 403, 403, 403, 302, 302)),
    # LTI: what platforms call answers anyone (a login without its parameters, a launch without
    # its signed token: 400); the key set is public; deep linking is the launched instructor's
    "lms.lti.login": ("GET", "/lti/login", codes(400, 400, 400, 400, 400, 400)),
    "lms.lti.launch": ("POST", "/lti/launch", codes(400, 400, 400, 400, 400, 400)),
    "lms.lti.jwks": ("GET", "/lti/jwks.json", EVERYONE),
    "lms.lti.deep_link": ("GET", "/lti/deep-link/lti1p3-launch-none", codes(404, 404, 404, 404, 404, 302)),
    "lms.lti.courses": ("GET", "/lti/courses", LEADERS),
    "lms.lti.sync": ("POST", "/lti/courses/999/sync", codes(403, 403, 404, 404, 404, 302)),
    "lms.lti.platforms": ("GET", "/admin/lti/", ADMINS),
    "lms.lti.new_platform": ("GET", "/admin/lti/new", ADMINS),
    "lms.lti.platform": ("GET", "/admin/lti/999", codes(403, 403, 403, 403, 404, 302)),
    "lms.lti.remove_platform": ("POST", "/admin/lti/999/remove", codes(403, 403, 403, 403, 404, 302)),
    # question import: content is the admins'; the page writes nothing, it previews and downloads
    "lms.question_import.upload": ("GET", "/admin/questions/import", ADMINS),
    # background jobs: a job is whoever asked for it's, and the admins'; the list is the admins'
    "lms.jobs.admin": ("GET", "/admin/jobs", ADMINS),
    "lms.jobs.show": ("GET", "/jobs/{w.job}", OWN_RECORD),
    "lms.jobs.status": ("GET", "/jobs/{w.job}/status.json", OWN_RECORD),
    "lms.jobs.download": ("GET", "/jobs/{w.job}/file", OWN_RECORD),
    "lms.jobs.retry": ("POST", "/admin/jobs/{w.failed_job}/retry", codes(403, 403, 403, 403, 303, 302)),
    # operations (lms/ops): health answers anyone (a load balancer signs in as nobody); metrics
    # answer a direct request from this machine, as the test client's are (test_ops: the rest)
    "lms_ops.live": ("GET", "/health/live", EVERYONE),
    "lms_ops.ready": ("GET", "/health", EVERYONE),
    "lms_ops.scrape": ("GET", "/metrics", EVERYONE),
}

#: Not the plugin's pages: files anyone may fetch.
STATIC = {"static", "lms.static"}


def test_every_route_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - STATIC
    assert sorted(endpoints - TABLE.keys()) == [], "a route without an entry in the route x role table"
    assert sorted(TABLE.keys() - endpoints) == [], "an entry for a route that no longer exists"


@pytest.fixture
def world(app, make_user):
    """Sara's records, one of each kind a route can name, and the five people who ask for them."""
    ids = SimpleNamespace(
        sara=make_user("sara", team="Alborz"),
        omid=make_user("omid", team="Alborz"),
        coach=make_user("coach", role="coach", coach_of=("Alborz",)),
        other_coach=make_user("reza", role="coach", coach_of=("Zagros",)),
        other_manager=make_user("farzaneh", role="manager", site="Other site"),
        admin=make_user("admin", role="admin"),
        quiz="basics-quiz",
        lesson=catalog(app).modules["basics"].lessons[0].id,
    )
    sara = client_of(app, ids.sara)
    ids.attempt = start(sara)
    ids.run = play(sara, {"typed": "I am sorry, I will fix it now.", "persona": "upset"})
    with app.app_context():
        person, coach = db.session.get(User, ids.sara), db.session.get(User, ids.coach)
        ids.alborz, ids.site = person.team_id, person.site_id
        ids.step = db.session.scalar(select(RoleplayStep.id).where(RoleplayStep.typed_reply.is_not(None)))
        ids.help = help_requests.ask(person, catalog(app), "lesson", ids.lesson, "Why?").id
        ids.call = selfreview.submit(person, catalog(app).roleplays["rp-late"], "CALL-1", utcnow().date(), "chat",
                                     "Customer: hello", {"empathy": 1, "explains_why": 1}, "Ask sooner.").id
        target = assigning.find_target(catalog(app), "module:basics")
        ids.assignment = assigning.assign(coach, [person], target, utcnow().date()).made[0].id
        ids.notification = db.session.scalar(select(Notification.id).where(Notification.user_id == ids.sara))
        practice_round = PracticeRound(user_id=ids.sara, answers=[])
        db.session.add(practice_round)
        db.session.commit()
        ids.round = practice_round.id
        ids.praise = recording.record(db.session.get(User, ids.omid), person, {
            "said": "Thank you!", "channel": "chat", "received_on": utcnow().date(), "case_ref": "",
            "topic": "communication"}).id
        ids.code = issuing.issue(person, "module", "basics", {"en": "Basics"}).code
        db.session.commit()
        admin = db.session.get(User, ids.admin)
        revoked = issuing.issue(person, "module", "advanced", {"en": "Advanced"})
        issuing.revoke(revoked, "issued too early", admin)
        ids.revoked = revoked.code
        ids.batch = store_batch(admin, "hr.csv", b"employee id,name\nE-1,Nader Ahmadi\n", person.site_id, False).token
        job = Job(kind="certificates.print", state="done", user_id=ids.sara, result_file="certificates.pdf")
        failed_job = Job(kind="certificates.print", state="failed", user_id=ids.sara, last_error="printer down")
        db.session.add_all([job, failed_job])
        db.session.commit()
        ids.job, ids.failed_job = job.id, failed_job.id
        queue.job_folder(job.id).mkdir(parents=True, exist_ok=True)  # ids start again per test
        (queue.job_folder(job.id) / job.result_file).write_bytes(b"%PDF-1.7")
    return ids


def client_of(app, user_id):
    """A client signed in as ``user_id`` (None: a visitor), through Flask-Login's session."""
    client = app.test_client()
    if user_id is not None:
        with app.app_context():
            session_id = db.session.get(User, user_id).get_id()  # "id:token", as a sign-in stores it
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client


def ask(app, world, role, method, url, data=None):
    user_id = {"self": world.sara, "other_agent": world.omid, "other_coach": world.other_coach,
               "other_manager": world.other_manager, "admin": world.admin, "visitor": None}[role]
    client = client_of(app, user_id)
    if method == "GET":
        response = client.get(url)
        response.close()  # a file sent (a job's download) is closed, not left to the collector
        return response.status_code
    # A real token from a page this person can open: only the access rule can refuse the post.
    token = csrf_from(client.get("/sign-in" if user_id is None else "/notifications").get_data(as_text=True))
    form = {key: value.format(w=world) for key, value in (data or {}).items()}
    return client.post(url, data=dict(form, csrf_token=token)).status_code


@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_each_role_gets_the_answer_the_table_gives(app, world, endpoint):
    method, pattern, expected, *data = TABLE[endpoint]
    url = pattern.format(w=world)
    # The owner's posts may move their record on (submit, reply) and an admin's may change the
    # owner (a password reset): the others ask first, then the owner, the admin last.
    order = sorted(ROLES, key=lambda role: {"self": 1, "admin": 2}.get(role, 0))
    answers = {role: ask(app, world, role, method, url, *data) for role in order}
    assert answers == expected, f"{method} {url}"
