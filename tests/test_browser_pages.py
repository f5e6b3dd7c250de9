"""Every page of every demo role, crawled in a real browser on a phone (390 x 844) in English
and in Persian: axe-core finds no violation of impact moderate or above, and no page is wider
than the screen. The crawl follows the links people see, one page per route and role, and
fails when a page route is left unvisited, so a new page cannot slip past it."""

import os
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update
from werkzeug.exceptions import HTTPException

from lms import db
from lms.accounts.models import User
from lms.config import PROJECT_ROOT
from lms.content import current_catalog
from lms.credentials.models import Certificate
from lms.demo import DEMO_PASSWORD, build_demo

from .browser import BROWSER, follow, signed_in_page

# Layout and accessibility do not depend on the database engine: crawled once, on SQLite, to
# keep CI's second (PostgreSQL) pass to the tests whose answer the engine can change.
pytestmark = BROWSER + [pytest.mark.skipif(bool(os.environ.get("LMS_TEST_DATABASE_URL")),
                                           reason="crawled on SQLite only")]

PHONE = {"width": 390, "height": 844}
SERIOUS = {"moderate", "serious", "critical"}
ROLES = ("sara", "neda", "coach.maryam", "manager", "admin")

#: Routes that answer with a file, not a page, or that no link leads to: why each is left out.
NOT_PAGES = {
    "lms.static": "files",
    "lms.accounts.logout": "a form's action",
    "lms.accounts.set_language": "a form's action",
    "lms.audit.export": "a download from the filter form",
    "lms.credentials.print_selection": "a download from the filter form",
    "static": "the host application's files",
    "lms.accounts.resend": "reached only after an expired form: axe-checked in test_browser_recovery",
    "lms.lti.login": "called by LTI platforms, with their parameters (test_lti)",
    "lms.lti.jwks": "the tool's key set, JSON for LTI platforms (test_lti)",
    "lms.lti.deep_link": "reached only from a platform's deep-linking launch: axe-checked in test_lti_browser",
    "lms.lti.platform": "the demo registers no LTI platform: axe-checked in test_lti_browser",
    # what a verifier fetches by the links inside a signed badge; tests/test_badges.py asks them
    "lms.credentials.issuer": "a badge verifier's document (JSON)",
    "lms.credentials.keys": "a badge verifier's document (JSON)",
    "lms.credentials.status_list": "a badge verifier's document (a JWT)",
    # a large print's progress page: the demo has none; test_jobs opens it, its JSON and its file
    "lms.jobs.show": "reached only after a print of more than LMS_PRINT_JOB_THRESHOLD certificates",
    "lms.jobs.status": "a job's status (JSON), fetched by job.js",
    "lms.jobs.download": "a job's file",
    # for load balancers and Prometheus, not people (test_ops)
    "lms_ops.live": "a health check's answer",
    "lms_ops.ready": "a health check's answer",
    "lms_ops.scrape": "metrics for Prometheus",
}


@pytest.fixture
def demo(app, live_app):
    with live_app.app_context():
        build_demo(current_catalog())


def endpoint_of(live_app, url):
    """The route a same-site link leads to, or None for other sites and non-GET targets."""
    parts = urlsplit(url)
    adapter = live_app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(parts.path, method="GET")
    except HTTPException:
        return None
    return endpoint


def page_problems(page):
    """What a person on a phone or with a screen reader would hit on the open page."""
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth")
    if overflow > PHONE["width"]:
        problems.append(f"{overflow} px wide")
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [node["target"] for node in violation["nodes"][:3]]
            problems.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return problems


def crawl(live_app, page, server):
    """Open every page reachable by links from the start page, one per route: {endpoint:
    (url, problems)}. Downloads (PDF, CSV) are checked for their status only."""
    seen, queue, found = set(), [(f"{server}/", None)], {}
    while queue:
        url, came_from = queue.pop(0)
        endpoint = endpoint_of(live_app, url)
        if endpoint is None or endpoint in seen or endpoint in NOT_PAGES:
            continue
        seen.add(endpoint)
        # Asked first without the page: a browser tab cannot "open" a download.
        response = page.context.request.get(url)
        if response.status >= 400 or not response.headers.get("content-type", "").startswith("text/html"):
            found[endpoint] = (url, [f"HTTP {response.status} from {came_from}"] if response.status >= 400 else [])
            continue
        page.goto(url)
        here = found[endpoint] = check(page)
        found.setdefault(endpoint_of(live_app, page.url), here)  # where a redirect landed
        for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
            if href.startswith(server) and "#" not in href:
                queue.append((urljoin(server, href), here[0]))
    return found


def check(page):
    return page.url, page_problems(page)


def forms(live_app, page, server, username):
    """The pages only a form leads to ({endpoint: (url, problems)}): a quiz and a call under
    way, a re-quiz round, an import preview."""
    with live_app.app_context():
        catalog = current_catalog()
    found = {}

    def submit(path, button, upload=None):
        page.goto(f"{server}{path}")
        if upload:
            page.set_input_files("input[type=file]", str(upload))
        follow(page, button)
        found[endpoint_of(live_app, page.url)] = check(page)

    if username == "neda":
        submit(f"/quizzes/{next(iter(catalog.quizzes))}", "main form button.primary")
        submit(f"/roleplays/{next(iter(catalog.roleplays))}", "main form button.primary")
        submit("/practice", "form.quiz button.primary")
    if username == "admin":
        submit("/admin/import/", "main form button.primary", upload=PROJECT_ROOT / "docs/examples/hr-export.csv")
    return found


def visitor(live_app, browser, server, locale):
    """What a signed-out visitor sees: sign-in, a certificate's check, an address that is not there."""
    page = browser.new_page(viewport=PHONE)
    if locale == "fa":
        page.goto(f"{server}/sign-in")
        follow(page, 'form.lang button[value="fa"]')
    with live_app.app_context():
        code = db.session.scalar(select(Certificate.code).limit(1))
    found = {}
    for path in ("/sign-in", "/verify", f"/verify/{code}", "/no-such-page"):
        page.goto(f"{server}{path}")
        found[endpoint_of(live_app, page.url) or path] = check(page)
    page.close()
    return found


def signed_in_phone(browser, server, username):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/sign-in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    follow(page, "button.primary")
    return page


def report(found):
    return "\n".join(f"{endpoint} {url}: {'; '.join(problems)}"
                     for endpoint, (url, problems) in sorted(found.items()) if problems)


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_every_page_of_every_role_reads_on_a_phone_and_passes_axe(live_app, server, browser, demo, locale):
    visited, failures = set(), []
    for username in ROLES + (None,):
        if username is None:
            found = visitor(live_app, browser, server, locale)
        else:
            page = signed_in_phone(browser, server, username)
            if locale == "fa":
                follow(page, 'form.lang button[value="fa"]')
            found = crawl(live_app, page, server) | forms(live_app, page, server, username)
            page.close()
        visited |= found.keys()
        if problems := report(found):
            failures.append(f"== {username or 'signed out'}\n{problems}")
    assert not failures, "\n".join(failures)
    pages = {rule.endpoint for rule in live_app.url_map.iter_rules() if "GET" in rule.methods}
    unvisited = pages - visited - NOT_PAGES.keys()
    assert not unvisited, sorted(unvisited)


#: 67 characters, most of them one word that no line break can split on its own.
LONG_NAME = "Mohammadhossein Seyedmahmoudighaffarzadehtabatabaeinejadkhorasani"


def test_a_long_name_wraps_on_a_phone_and_stays_whole(live_app, server, browser, demo):
    with live_app.app_context():
        neda = db.session.scalar(select(User).where(User.username == "neda"))
        neda.display_name = LONG_NAME
        db.session.execute(update(Certificate).where(Certificate.user_id == neda.id).values(recipient_name=LONG_NAME))
        db.session.commit()
        team, person = neda.team_id, neda.id
    page = signed_in_phone(browser, server, "manager")
    for path in ("/manage/certificates", f"/gaps/teams/{team}", "/admin/people/?q=neda", f"/teams/{team}",
                 f"/gaps/people/{person}", f"/coaching/people/{person}"):
        page.goto(f"{server}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        name = page.get_by_text(LONG_NAME, exact=False).first
        assert LONG_NAME in name.inner_text(), path  # whole, not cut
        box = name.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"], path  # wrapped on screen


def test_on_a_phone_the_header_is_one_line_until_the_menu_opens(app, server, browser, make_user):
    make_user("maryam", role="coach", coach_of=("Alborz",))
    page = signed_in_page(browser, server, "maryam", width=PHONE["width"])
    assert page.locator("header.topbar").bounding_box()["height"] < PHONE["height"] * 0.1
    expect(page.locator("#lms-nav")).to_be_hidden()
    page.click(".menu-toggle")
    expect(page.locator(".menu-toggle")).to_have_attribute("aria-expanded", "true")
    follow(page, "#lms-nav >> text=Teams")
    assert page.url.endswith("/teams")
