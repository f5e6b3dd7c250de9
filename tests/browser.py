"""Shared by the browser tests: the shipped curriculum served on a free local port, Debian's
Chromium driven by Playwright, and small helpers that wait on conditions, never on time."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from lms.config import PROJECT_ROOT

from .conftest import PASSWORD, make_app

CHROMIUM = os.environ.get("LMS_CHROMIUM", "/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"

#: Every browser test module's marks (pytestmark = BROWSER).
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def live_app(database_url, tmp_path_factory):
    """The shipped curriculum served on a free local port."""
    app = make_app(database_url, tmp_path_factory.mktemp("live"), LMS_CONTENT_ROOT=str(PROJECT_ROOT))
    yield app
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()


def buffered(app):
    """Hand the server whole bodies with every file already closed. Werkzeug's development
    server skips closing a response when the browser resets the connection (Chromium cancels
    font requests as it navigates), and the leaked static file then warns at a random moment."""
    def wsgi(environ, start_response):
        started = []
        result = app(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        start_response(*started[0])
        return [body]
    return wsgi


@pytest.fixture(scope="module")
def server(live_app):
    httpd = make_server("127.0.0.1", 0, buffered(live_app), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}"
    live_app.config["LMS_BASE_URL"] = url  # the address the site is known by (LTI, badges, mail)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def signed_in_page(browser, server, username, width=1200):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server}/sign-in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    follow(page, "button.primary")
    return page


def follow(page, selector):
    """Click something that loads another page and wait for it: a bare click returns before
    the navigation ends, and reading the page then races the old document being replaced."""
    with page.expect_navigation():
        page.click(selector)


def answer_shown(page, catalog, locale, right=True, limit=None):
    """Answer the items the quiz page shows (options by their text, as a person would): right,
    or wrong; only the first ``limit`` marked ones when given. Returns the ids answered."""
    answered = []
    for fieldset in page.locator("form.quiz fieldset.item").all():
        item = catalog.items[fieldset.get_attribute("id").removeprefix("q-")]
        if item.graded and limit is not None and len([i for i in answered if catalog.items[i].graded]) >= limit:
            continue
        if item.type == "agreement":
            fieldset.locator('input[value="4"]').check()
        elif item.type == "true_false":
            fieldset.locator(f'input[value="{"true" if item.answer == right else "false"}"]').check()
        elif item.type == "short":  # typed; Enter saves it (the quiz is not sent)
            box = fieldset.locator("input.short-answer")
            box.fill(item.answer[locale][0] if right else "-")
            box.press("Enter")
        else:
            keys = item.answer if isinstance(item.answer, frozenset) else {item.answer}
            wanted = keys if right else {next(o.id for o in item.options if o.id not in keys)}
            texts = {o.text[locale].strip() for o in item.options if o.id in wanted}
            for label in fieldset.locator("label.choice").all():
                if label.inner_text().strip() in texts:
                    label.locator("input").check()
        answered.append(item.id)
    return answered


def no_axe_violations(page):
    """axe-core finds nothing on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
