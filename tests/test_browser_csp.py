"""The Content-Security-Policy (no inline script, no inline style) holds in a real browser:
the main pages of each role, and the pages anyone reaches signed out, report no violation."""

import pytest

from .browser import BROWSER
from .test_browser_pages import demo, signed_in_phone  # noqa: F401 (demo is a fixture)

pytestmark = BROWSER

#: Collects every violation the page reports, from before its first script runs.
LISTEN = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  e => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber));"""

SIGNED_OUT = ("/sign-in", "/verify", "/verify/AAAAAAAAAAAAAAAAAAAAAA", "/no-such-page")


def violations(page, urls):
    found = {}
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        seen = page.evaluate("window.__csp")
        if seen:
            found[url] = seen
    return found


def nav_links(page, server):
    return [server + href if href.startswith("/") else href
            for href in page.eval_on_selector_all("#lms-nav a[href]", "links => links.map(a => a.getAttribute('href'))")]


@pytest.mark.parametrize("username", ["sara", "coach.maryam", "manager", "admin"])
def test_main_pages_of_each_role_break_no_policy(server, browser, demo, username):
    page = signed_in_phone(browser, server, username)
    page.add_init_script(LISTEN)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    urls = [server + "/"] + nav_links(page, server)
    assert len(urls) >= 4
    found = violations(page, urls)
    page.close()
    assert found == {} and messages == []


def test_signed_out_pages_break_no_policy(server, browser):
    page = browser.new_page()
    page.add_init_script(LISTEN)
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    found = violations(page, [server + path for path in SIGNED_OUT])
    page.close()
    assert found == {} and messages == []
