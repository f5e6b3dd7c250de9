"""What the LTI tests share: the tool served on loopback as the site's address, a fresh
platform registered with it (tests/lti_platform.py), running a launch, and reading what it did."""

import pytest
from sqlalchemy import func, select

from lms import db
from lms.db import Base

from .lti_platform import Served, form_fields, registered_platform


@pytest.fixture(scope="module")
def tool(app):
    """The tool served on a free port, which is then the site's configured address: the URLs it
    gives platforms come from LMS_BASE_URL, never from a request's Host."""
    served = Served(app)
    configured = app.config["LMS_BASE_URL"]
    app.config["LMS_BASE_URL"] = served.url
    yield served.url
    app.config["LMS_BASE_URL"] = configured
    served.stop()


@pytest.fixture
def platform(app, tool):
    """A fresh platform, served, and registered with the tool (site "Learning partners")."""
    with registered_platform(app, tool) as p:
        yield p


def launch_form(browser, p, hint, launch):
    """Run the OIDC login from the platform to the point where the browser would post the
    signed launch: (tool launch URL, form fields)."""
    p.launches[hint] = launch
    page = browser.get(f"{p.base}/start/{hint}")
    assert page.status_code == 200, page.text
    return form_fields(page.text)


def launched(browser, p, hint, launch):
    action, fields = launch_form(browser, p, hint, launch)
    return browser.post(action, data=fields, allow_redirects=False)


def rows(app):
    """How many rows every table of ours holds."""
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def session_user(app, response):
    """Whom the response's session cookie signs in (None: nobody; an error page's cookie
    holds only a CSRF token)."""
    cookie = response.cookies.get("session")
    if cookie is None:
        return None
    return app.session_interface.get_signing_serializer(app).loads(cookie).get("_user_id")


def signed_in_client(app, browser):
    """A test client carrying the browser's session cookie: the same signed-in person."""
    client = app.test_client()
    client.set_cookie("session", browser.cookies.get("session"))
    return client
