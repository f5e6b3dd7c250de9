"""Fixtures: one migrated database per run (SQLite, or PostgreSQL when
LMS_TEST_DATABASE_URL is set), emptied after every test; factories return callables."""

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from lms import create_app
from lms.db import with_driver
from lms import db as lms_db
from lms.accounts.models import TeamCoach
from lms.accounts.services import create_user, get_or_create_site, get_or_create_team
from lms.db import Base
from lms.migrate import upgrade

#: The browser tests' fixtures (live server, Chromium), requested only by those tests.
pytest_plugins = ["tests.browser"]

TEST_CONTENT = Path(__file__).parent / "data" / "content"
PASSWORD = "correct horse battery"


def reset_schema(engine):
    """Drop the plugin's tables so migrations run from empty."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS lms_alembic_version"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("LMS_TEST_DATABASE_URL")
    if url:
        return with_driver(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def make_app(database_url, tmp_path, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "LMS_CONTENT_ROOT": str(TEST_CONTENT),
        # Deliveries are sent by the tests' own deliver_due() calls, at a known moment.
        "LMS_DELIVERY_WORKER": "none",
        # Background jobs run right after their request commits, so a test sees them done.
        "LMS_JOBS_RUNNER": "eager",
    }
    settings.update(config)
    os.environ.setdefault("LMS_INSTANCE_PATH", str(tmp_path))
    return create_app(settings)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = make_app(database_url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        reset_schema(lms_db.session.get_bind())
        upgrade()
    yield app
    with app.app_context():
        lms_db.session.remove()
        app.extensions["sqlalchemy"].engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from empty tables (real commits, so concurrency tests are real)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        lms_db.session.rollback()
        for table in reversed(Base.metadata.sorted_tables):
            lms_db.session.execute(table.delete())
        lms_db.session.commit()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """``make_user("sara", role="agent", team="Alborz")`` -> the new user's id."""
    counter = {"n": 0}

    def factory(username=None, role="agent", team=None, site="Test site", locale="en", coach_of=()):
        counter["n"] += 1
        with app.app_context():
            site_obj = get_or_create_site(site)
            team_obj = get_or_create_team(team, site_obj) if team else None
            user = create_user(username or f"user{counter['n']}", PASSWORD, (username or "User").title(),
                               role=role, team=team_obj, site=site_obj, locale=locale)
            lms_db.session.flush()
            for name in coach_of:
                lms_db.session.add(TeamCoach(team_id=get_or_create_team(name, site_obj).id, user_id=user.id))
            lms_db.session.commit()
            return user.id

    return factory


def csrf_from(html):
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client, username, password=PASSWORD):
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    return client.post("/sign-in", data={"username": username, "password": password, "csrf_token": token})


def token_for(client, path="/"):
    """A CSRF token from a page the signed-in client can open."""
    return csrf_from(client.get(path).get_data(as_text=True))


def signed_in(app, username):
    """A fresh test client signed in as ``username``."""
    client = app.test_client()
    sign_in(client, username)
    return client


@pytest.fixture
def team(make_user):
    """A coach of Alborz with two agents, a coach of Zagros with one, and a manager."""
    return SimpleNamespace(
        coach=make_user("maryam", role="coach", coach_of=("Alborz",)),
        other_coach=make_user("reza", role="coach", coach_of=("Zagros",)),
        sara=make_user("sara", team="Alborz"),
        omid=make_user("omid", team="Alborz"),
        parisa=make_user("parisa", team="Zagros", locale="fa"),
        manager=make_user("manager", role="manager"),
    )


def without_isolates(text):
    """Text without the direction isolates around typed names (U+2068, U+2069: they show
    nothing), for tests that look for a sentence with a name in it."""
    return text.replace("\u2068", "").replace("\u2069", "")


def shown(response):
    """A page's HTML as without_isolates()."""
    return without_isolates(response.get_data(as_text=True))
