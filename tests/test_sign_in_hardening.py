"""Sign-in hardening (issue 15): throttling per account and per address, counted atomically;
one password hash checked whether or not the name exists; session cookies revoked on the
server at sign-out and password change; an LTI launch starts a fresh session."""

import os
import threading

import pytest
import requests
from sqlalchemy import select

from lms import db
from lms.accounts import models
from lms.accounts.models import LoginThrottle, User
from lms.accounts.services import Throttled, authenticate

from .conftest import PASSWORD, csrf_from, make_app, sign_in, signed_in, token_for
from .lti_platform import LEARNER, Launch
from .lti_helpers import launched, platform, tool  # noqa: F401 (fixtures)


@pytest.fixture
def hashes_checked(monkeypatch):
    """How many password hashes were verified, counted across threads."""
    checked = {"n": 0}
    lock = threading.Lock()
    verify = models.check_password_hash

    def counting(stored, password):
        with lock:
            checked["n"] += 1
        return verify(stored, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    return checked


# Parallel CI runs set LMS_TEST_REDIS_URL apart: the fixture flushes this database.
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture(params=["database", "redis"])
def counters_in(request, app, monkeypatch):
    """Each throttling test runs with the counters in the database and in Redis."""
    if request.param == "redis":
        redis = pytest.importorskip("redis")
        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.flushdb()
        except redis.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        monkeypatch.setitem(app.config, "LMS_LOGIN_THROTTLE_REDIS_URL", REDIS_URL)
        yield request.param
        client.flushdb()
    else:
        yield request.param


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# -- throttling ---------------------------------------------------------------------------------

def test_a_colleagues_typos_do_not_lock_out_the_office_behind_one_address(app, make_user, counters_in):
    make_user("sara")
    make_user("omid")
    office = from_address(app, "10.0.0.1")
    for _ in range(app.config["LMS_LOGIN_MAX_FAILURES"]):
        assert sign_in(office, "sara", "typo").status_code == 401
    assert sign_in(office, "sara").status_code == 429  # her account is held, right password or not
    assert sign_in(from_address(app, "10.0.0.1"), "omid").status_code == 302  # the colleague is not


def test_the_address_limit_counts_failures_over_every_account(app, make_user, monkeypatch, counters_in):
    monkeypatch.setitem(app.config, "LMS_LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    make_user("omid")
    guesser = from_address(app, "10.0.0.2")
    for name in ("ali", "bahar", "cyrus"):  # one try each: no account limit is reached
        assert sign_in(guesser, name, "guess").status_code == 401
    assert sign_in(guesser, "omid").status_code == 429
    assert sign_in(from_address(app, "10.0.0.3"), "omid").status_code == 302  # another address is free


def test_right_passwords_do_not_use_up_the_address(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_LOGIN_MAX_FAILURES_PER_ADDRESS", 2)
    make_user("omid")
    for _ in range(4):
        assert sign_in(from_address(app, "10.0.0.4"), "omid").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LoginThrottle.count).where(LoginThrottle.key == "ip:10.0.0.4")) == 0


def behind_proxy(app, forwarded_for):
    client = from_address(app, "10.9.9.9")  # the load balancer
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


@pytest.mark.parametrize("hops", [1, 0])
def test_behind_a_proxy_the_address_limit_counts_each_client(database_url, tmp_path, make_user, hops):
    """With LMS_PROXY_HOPS=1 the limit counts the address the load balancer forwards (two
    offices apart); with 0, a client's X-Forwarded-For is ignored, so no client can pick an
    address to escape the limit."""
    proxied = make_app(database_url, tmp_path, LMS_PROXY_HOPS=hops, LMS_LOGIN_MAX_FAILURES_PER_ADDRESS=2)
    make_user("omid")
    for name in ("ali", "bahar"):
        assert sign_in(behind_proxy(proxied, "203.0.113.7"), name, "guess").status_code == 401
    expected = 302 if hops else 429
    assert sign_in(behind_proxy(proxied, "198.51.100.8"), "omid").status_code == expected
    with proxied.app_context():
        db.session.remove()
        proxied.extensions["sqlalchemy"].engine.dispose()


@pytest.mark.parametrize("names, limit_key, limit", [
    (["sara"] * 60, "LMS_LOGIN_MAX_FAILURES", 5),
    ([f"guess{n}" for n in range(60)], "LMS_LOGIN_MAX_FAILURES_PER_ADDRESS", 10),
], ids=["one account", "one address"])
def test_sixty_concurrent_wrong_passwords_check_at_most_the_limit(app, make_user, hashes_checked, monkeypatch,
                                                                  counters_in, names, limit_key, limit):
    """Before, a count then an insert: 60 at once were checked 19 times against a limit of 5."""
    monkeypatch.setitem(app.config, limit_key, limit)
    make_user("sara")
    start = threading.Barrier(len(names))
    outcomes = []

    def attempt(name):
        with app.app_context():
            start.wait()
            try:
                outcomes.append(authenticate(name, "wrong", "10.0.0.5"))
            except Throttled:
                outcomes.append("throttled")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == len(names)
    assert hashes_checked["n"] == limit
    assert outcomes.count("throttled") == len(names) - limit and outcomes.count(None) == limit


# -- no username oracle -------------------------------------------------------------------------

def test_a_wrong_password_checks_one_hash_whether_or_not_the_name_exists(app, make_user, hashes_checked):
    make_user("sara")
    with app.app_context():
        linked = User(username="host-7", external_id="7", display_name="Host user")  # no password at all
        db.session.add(linked)
        db.session.commit()
    for name in ("sara", "nobody-here", "host-7"):
        before = hashes_checked["n"]
        assert sign_in(from_address(app, f"10.1.0.{len(name)}"), name, "wrong").status_code == 401
        assert hashes_checked["n"] - before == 1, name
    with app.app_context():
        real = db.session.scalar(select(User.password_hash).where(User.username == "sara"))
        # the same algorithm and cost ("scrypt:32768:8:1"), so the same time
        assert models._dummy_hash().split("$")[0] == real.split("$")[0]


# -- sessions revoked on the server -------------------------------------------------------------

def copy_of(app, client):
    """Another client carrying ``client``'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_sign_out_no_longer_signs_in(app, make_user):
    make_user("sara")
    sara = signed_in(app, "sara")
    thief = copy_of(app, sara)
    assert thief.get("/").status_code == 200  # the copy works while the session lasts
    sara.post("/sign-out", data={"csrf_token": token_for(sara)})
    replay = thief.get("/")
    assert replay.status_code == 302 and "/sign-in" in replay.headers["Location"]
    assert signed_in(app, "sara").get("/").status_code == 200  # signing in again works


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_user):
    make_user("sara")
    laptop, phone = signed_in(app, "sara"), signed_in(app, "sara")
    new = "a new long password"
    answer = laptop.post("/account", data={"password-current": PASSWORD, "password-new": new, "password-again": new,
                                           "csrf_token": token_for(laptop, "/account")})
    assert answer.status_code == 302
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_a_cookie_from_before_session_tokens_is_not_accepted(app, make_user):
    sara = make_user("sara")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(sara)  # what a sign-in stored before: the id alone
    assert client.get("/").status_code == 302


# -- LTI ----------------------------------------------------------------------------------------

def test_an_lti_launch_starts_a_fresh_session(app, platform, make_user):  # noqa: F811 (fixture)
    make_user("maryam", role="coach", locale="fa")
    browser = requests.Session()
    token = csrf_from(browser.get(platform.tool + "/sign-in").text)
    signing_in = browser.post(platform.tool + "/sign-in", allow_redirects=False,
                              data={"username": "maryam", "password": PASSWORD, "csrf_token": token})
    assert signing_in.status_code == 302
    before = app.session_interface.get_signing_serializer(app).loads(browser.cookies.get("session"))
    assert before["lms_locale"] == "fa"
    answer = launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    assert answer.status_code == 302
    after = app.session_interface.get_signing_serializer(app).loads(browser.cookies.get("session"))
    assert after["_user_id"] != before["_user_id"]
    assert "lms_locale" not in after  # nothing of the coach's session is left
