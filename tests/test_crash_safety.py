"""Side effects survive a crash: what a quiz submission causes (the module's completion, its
certificate, the spaced re-quiz items) is stored in the submission's own transaction.

The kill test runs gunicorn with two workers on a copy of the test database, submits quizzes
from many agents over HTTP (passes and fails) while ``kill -9``-ing the workers again and
again, then runs ``flask lms repair``: every pass has its completion and certificate, every
missed item is scheduled, nothing is there twice, and the repair found nothing missing."""

import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, make_url, select, text

from lms import db
from lms.coaching.models import SpacedItem
from lms.coaching.repair import unscheduled_misses
from lms.credentials.models import Certificate
from lms.learning.models import SUBMITTED, LessonRead, ModuleCompletion, QuizAttempt
from lms.repair import repair_all

from .conftest import PASSWORD, TEST_CONTENT, make_app, sign_in
from .quiz_helpers import drawn, read_lessons, sheet, start, submit

ROOT = Path(__file__).resolve().parent.parent
QUIZ, MODULE = "basics-quiz", "basics"
AGENTS = 48
#: An agent reads each page for a moment (seconds) before acting, as people do: the work is
#: spread over the loop, so kills land while submissions are in flight on a fast machine too.
READING = (0.1, 0.6)
#: The whole loop stops by itself after this long, whatever is left.
LOOP_SECONDS = 40


# -- the repair alone ----------------------------------------------------------------------

def test_repair_restores_a_lost_certificate_and_lost_schedules_once(app, make_user, client):
    make_user("sara")
    sign_in(client, "sara")
    read_lessons(client, MODULE)
    attempt_id = start(client)
    wrong = [item_id for item_id, _ in _drawn_graded(app, attempt_id)][:1]
    assert submit(client, attempt_id, sheet(app, attempt_id, wrong=wrong)).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
        assert unscheduled_misses() == []
        # As a crash between two transactions left it before consequences were transactional.
        db.session.execute(Certificate.__table__.delete())
        db.session.execute(SpacedItem.__table__.delete())
        db.session.commit()
        assert len(unscheduled_misses()) == 1
    result = app.test_cli_runner().invoke(args=["lms", "repair"])
    assert result.exit_code == 0, result.output
    assert "1 certificates" in result.output and "1 missed items" in result.output
    again = app.test_cli_runner().invoke(args=["lms", "repair"])
    assert "0 certificates" in again.output and "0 missed items" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
        assert db.session.scalar(select(func.count()).select_from(SpacedItem)) == 1
        assert unscheduled_misses() == []


def test_a_consequence_that_fails_undoes_the_whole_submission(app, make_user, client, monkeypatch):
    """All or nothing: a certificate that cannot be issued leaves no pass without it."""
    make_user("sara")
    sign_in(client, "sara")
    read_lessons(client, MODULE)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("lms.credentials.hooks.issue_for_completion", broken)
    attempt_id = start(client)
    with pytest.raises(RuntimeError):  # a 500 for the learner
        submit(client, attempt_id, sheet(app, attempt_id))
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).status != SUBMITTED
        assert db.session.scalar(select(func.count()).select_from(ModuleCompletion)) == 0
    monkeypatch.undo()
    assert submit(client, attempt_id, sheet(app, attempt_id)).status_code == 303  # tried again, all of it
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def _drawn_graded(app, attempt_id):
    items = app.extensions["lms"].catalog.items
    return [(item_id, order) for item_id, order in drawn(app, attempt_id) if items[item_id].graded]


# -- the kill test -------------------------------------------------------------------------

def _copy_database(app, database_url, tmp_path):
    """A copy of the test database as the tests left it (their users and lessons read)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        copy = tmp_path / "crash.sqlite3"
        with sqlite3.connect(url.database) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        return str(url.set(database=str(copy))), lambda: None
    name = f"{url.database}_crash"
    with app.app_context():  # a template database must have no other connection
        db.session.remove()
        app.extensions["sqlalchemy"].engine.dispose()
    admin = url.set(database="postgres")
    server = create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))

    def drop():
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
    return url.set(database=name).render_as_string(hide_password=False), drop


def _workers(master):
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _serving(base):
    try:
        return requests.get(f"{base}/sign-in", timeout=2).status_code == 200
    except requests.RequestException:
        return False


class RetryStep(Exception):
    """A page that answered with an error (a worker died under it): do the step again."""


def _token(html):
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if found is None:  # an error page, or a page cut short
        raise RetryStep("no form")
    return found.group(1)


class Agent:
    """One learner driving the site over HTTP, doing a step again when its worker died."""

    def __init__(self, base, username, passes, reader):
        self.base, self.username, self.passes, self.reader = base, username, passes, reader
        self.http = requests.Session()
        self.errors = []

    def retrying(self, step, deadline):
        while time.monotonic() < deadline:
            try:
                return step()
            except (requests.RequestException, RetryStep) as error:
                self.errors.append(f"{type(error).__name__}: {error}"[:120])  # said if too few get through
                time.sleep(0.05)
        return None

    def sign_in(self):
        token = _token(self.http.get(f"{self.base}/sign-in", timeout=10).text)
        answer = self.http.post(f"{self.base}/sign-in", data={"username": self.username, "password": PASSWORD,
                                                              "csrf_token": token}, timeout=10, allow_redirects=False)
        if answer.status_code != 302 and answer.status_code != 303:
            raise RetryStep(answer.status_code)

    def start(self):
        token = _token(self.http.get(f"{self.base}/quizzes/{QUIZ}", timeout=10).text)
        answer = self.http.post(f"{self.base}/quizzes/{QUIZ}/start", data={"csrf_token": token}, timeout=10,
                                allow_redirects=False)
        if answer.status_code != 303:
            raise RetryStep(answer.status_code)
        return int(answer.headers["Location"].rsplit("/", 1)[1])

    def submit(self, attempt_id):
        page = self.http.get(f"{self.base}/quizzes/{QUIZ}/attempts/{attempt_id}", timeout=10).text
        graded = [item_id for item_id, _ in _drawn_graded(self.reader, attempt_id)]
        answers = sheet(self.reader, attempt_id, wrong=() if self.passes else graded)
        answer = self.http.post(f"{self.base}/quizzes/{QUIZ}/attempts/{attempt_id}",
                                data=dict(answers, csrf_token=_token(page)),
                                timeout=10, allow_redirects=False)
        if answer.status_code != 303:
            raise RetryStep(answer.status_code)
        return True

    def run(self, deadline):
        reading = random.Random(self.username)
        if self.retrying(self.sign_in, deadline) is None and time.monotonic() >= deadline:
            return False
        time.sleep(reading.uniform(*READING))
        attempt_id = self.retrying(self.start, deadline)
        time.sleep(reading.uniform(*READING))
        return attempt_id is not None and bool(self.retrying(lambda: self.submit(attempt_id), deadline))


def test_quiz_passes_keep_everything_they_cause_while_workers_are_killed(app, database_url, make_user, tmp_path):
    usernames = [f"crash{n}" for n in range(AGENTS)]
    for username in usernames:
        make_user(username, team="Alborz")
    with app.app_context():  # every lesson read: a pass completes the module
        module = app.extensions["lms"].catalog.modules[MODULE]
        users = db.session.execute(text("SELECT id FROM lms_user WHERE username LIKE 'crash%'")).scalars().all()
        db.session.add_all(LessonRead(user_id=u, lesson_id=lesson.id, lesson_version=lesson.version)
                           for u in users for lesson in module.lessons)
        db.session.commit()
    copy_url, drop_copy = _copy_database(app, database_url, tmp_path)
    # gunicorn inherits a socket bound to a port the system picked: a port chosen by probing
    # could be taken by another run of this test meanwhile, whose server would then answer.
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    listener.set_inheritable(True)
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = {**os.environ, "DATABASE_URL": copy_url, "SECRET_KEY": "crash-test", "LMS_CONTENT_ROOT": str(TEST_CONTENT),
           "LMS_DELIVERY_WORKER": "none", "LMS_INSTANCE_PATH": str(tmp_path / "instance")}
    with listener:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind", f"fd://{listener.fileno()}",
             "--preload", "--timeout", "30", "--graceful-timeout", "2", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            pass_fds=[listener.fileno()])
    reader = make_app(copy_url, tmp_path / "reader")
    kills = []
    try:
        _wait_for(lambda: _serving(base), 30, "gunicorn to serve")
        deadline = time.monotonic() + LOOP_SECONDS
        agents = [Agent(base, name, n % 3 != 0, reader) for n, name in enumerate(usernames)]  # a third fail
        done = []
        stop = threading.Event()

        def killer():
            chance = random.Random(15)
            while not stop.wait(chance.uniform(0.3, 0.9)):
                workers = _workers(server.pid)
                if workers:
                    victim = chance.choice(workers)
                    try:
                        os.kill(victim, signal.SIGKILL)
                        kills.append(victim)
                    except ProcessLookupError:
                        pass

        def drive(batch):
            for agent in batch:
                done.append(agent.run(deadline))

        threading.Thread(target=killer, daemon=True).start()
        drivers = [threading.Thread(target=drive, args=(agents[i::6],)) for i in range(6)]
        for thread in drivers:
            thread.start()
        for thread in drivers:
            thread.join(LOOP_SECONDS + 15)
        stop.set()
        assert len(kills) >= 10, f"only {len(kills)} workers killed"
        assert sum(done) >= AGENTS // 2, f"only {sum(done)} of {AGENTS} agents got through: {[a.errors[-3:] for a in agents][:8]}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)

    with reader.app_context():
        fixed = repair_all()
        assert fixed == {"certificates": 0, "missed items": 0}, "a consequence was lost to a kill"
        passes = db.session.execute(select(QuizAttempt.user_id).where(
            QuizAttempt.status == SUBMITTED, QuizAttempt.passed.is_(True))).scalars().all()
        fails = db.session.scalar(select(func.count()).select_from(QuizAttempt).where(
            QuizAttempt.status == SUBMITTED, QuizAttempt.passed.is_(False)))
        assert passes and fails, (len(passes), fails)
        completed = dict(db.session.execute(select(ModuleCompletion.user_id, func.count()).where(
            ModuleCompletion.module_id == MODULE).group_by(ModuleCompletion.user_id)).all())
        certified = dict(db.session.execute(select(Certificate.user_id, func.count()).where(
            Certificate.kind == "module", Certificate.subject_id == MODULE).group_by(Certificate.user_id)).all())
        assert {u: 1 for u in passes} == completed, "a pass without its completion, or one twice"
        assert {u: 1 for u in passes} == certified, "a pass without its certificate, or one twice"
        assert unscheduled_misses() == [], "a missed item that never reached the re-quizzes"
        assert db.session.scalar(select(func.count()).select_from(SpacedItem)) >= fails
        db.session.remove()
        reader.extensions["sqlalchemy"].engine.dispose()
    drop_copy()
