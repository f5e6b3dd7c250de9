"""CX Academy mounted in a host Flask app: the host keeps its routes, database and
sign-in, and hands its user over through LMS_CURRENT_USER."""

import pytest
from flask import Flask, session
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select, text

from lms import LMS, HostUser, db
from lms.accounts.models import User

from .conftest import TEST_CONTENT


def host_user():
    if "host_uid" not in session:
        return None
    return HostUser(id=session["host_uid"], name="Host Person", email="p@host.example", locale="fa")


@pytest.fixture
def host(app, database_url):
    """A host app with its own SQLAlchemy object, model and routes; ``app`` has migrated the DB."""
    host = Flask("host_app")
    host.config.update(SECRET_KEY="host", SQLALCHEMY_DATABASE_URI=database_url, TESTING=True,
                       LMS_CONTENT_ROOT=str(TEST_CONTENT), LMS_CURRENT_USER=host_user)
    host_db = SQLAlchemy()

    class Note(host_db.Model):
        __tablename__ = "host_note"
        id = host_db.Column(host_db.Integer, primary_key=True)
        body = host_db.Column(host_db.String(50))

    host_db.init_app(host)

    @host.route("/")
    def home():
        return f"host home, {host_db.session.scalar(select(host_db.func.count(Note.id)))} notes"

    @host.route("/host-login/<uid>")
    def host_login(uid):
        session["host_uid"] = uid
        return "ok"

    LMS().init_app(host, url_prefix="/training")
    with host.app_context():
        host_db.create_all()
    yield host
    with host.app_context():
        host_db.session.execute(text("DROP TABLE host_note"))
        host_db.session.commit()
        host_db.engine.dispose()


def test_the_host_keeps_its_routes_and_the_plugin_lives_under_its_prefix(host):
    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "host home, 0 notes"
    assert client.get("/training/").status_code == 401  # nobody signed in on the host
    with client.get("/training/lms-static/lms.css") as stylesheet:
        assert stylesheet.status_code == 200


def test_the_hosts_user_is_linked_to_a_plugin_account_once(host):
    client = host.test_client()
    client.get("/host-login/h-42")
    page = client.get("/training/").get_data(as_text=True)
    assert "Host Person" in page and 'dir="rtl"' in page and 'href="/training/modules/basics"' in page
    client.get("/training/modules/basics")
    with host.app_context():
        linked = db.session.scalars(select(User).where(User.external_id == "h-42")).all()
        assert len(linked) == 1 and linked[0].role == "agent" and linked[0].password_hash is None


def test_plugin_sign_in_page_defers_to_the_host(host):
    assert host.test_client().get("/training/sign-in").status_code == 302


def test_a_host_with_its_own_login_manager_must_hand_over_its_user(database_url):
    host = Flask("host_with_login")
    host.config.update(SECRET_KEY="x", SQLALCHEMY_DATABASE_URI=database_url, LMS_CONTENT_ROOT=str(TEST_CONTENT))
    SQLAlchemy().init_app(host)
    LoginManager(host)
    with pytest.raises(RuntimeError, match="LMS_CURRENT_USER"):
        LMS().init_app(host)


def test_the_plugin_needs_flask_sqlalchemy():
    with pytest.raises(RuntimeError, match="Flask-SQLAlchemy"):
        LMS().init_app(Flask("bare"))


def test_a_form_the_hosts_csrf_protection_refuses_comes_back_with_what_was_typed(host):
    from flask_wtf.csrf import CSRFProtect

    CSRFProtect(host)  # a host that guards every form itself: its CSRFError reaches the plugin's handler
    client = host.test_client()
    client.get("/host-login/h-7")
    page = client.post("/training/help/ask?lesson=basics-01-hello",
                       data={"question": "Where do I start?", "csrf_token": "expired"},
                       headers={"Origin": "http://localhost"})
    text_ = page.get_data(as_text=True)
    assert page.status_code == 400 and 'action="/training/help/ask?lesson=basics-01-hello"' in text_
    assert ">Where do I start?</textarea>" in text_


def test_the_page_frames_addresses_follow_the_mount_point_each_request_arrives_at(host):
    """A proxy may put the site under a path of its own (SCRIPT_NAME) for some requests: the
    frame's addresses, built once per mount point, follow each request's."""
    client = host.test_client()
    client.get("/host-login/h-1")
    for _ in range(2):  # the second time from what was built the first
        plain = client.get("/training/").get_data(as_text=True)
        proxied = client.get("/training/", base_url="http://localhost/edge/").get_data(as_text=True)
        assert 'href="/training/lms-static/lms.css"' in plain and 'src="/training/lms-static/menu.js"' in plain
        assert 'href="/edge/training/lms-static/lms.css"' in proxied and 'src="/edge/training/lms-static/menu.js"' in proxied
        assert 'action="/training/language"' in plain and 'action="/edge/training/language"' in proxied
        assert 'href="/edge/training/notifications"' in proxied
    assert sorted(host.extensions["lms"].frame_links) == ["", "/edge"]
