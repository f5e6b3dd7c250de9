"""LTI in a real browser: the platform's course page frames the tool, the instructor picks
activities inside the iframe and the answer posts itself back (the frame-ancestors and
form-action allowances, and lti.js, at work); the LTI pages pass axe."""

import pytest

from .browser import BROWSER, no_axe_violations, signed_in_page
from .lti_platform import INSTRUCTOR, Launch, registered_platform

pytestmark = BROWSER


@pytest.fixture
def platform(app, server):
    with registered_platform(app, server) as p:
        yield p


def test_an_instructor_deep_links_inside_the_platforms_iframe(app, browser, platform):
    platform.launches["d"] = Launch("t-1", [INSTRUCTOR], name="Maryam Coach", deep_link=True)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{platform.base}/course/d")
    frame = page.frame_locator("iframe#tool")
    frame.locator("input[name=activity]").first.check()  # the picker shows inside the frame
    picker_url = next(f.url for f in page.frames if "/lti/deep-link/" in f.url)
    alone = context.new_page()
    alone.goto(picker_url)
    no_axe_violations(alone)
    alone.close()
    frame.locator("button.primary").click()
    frame.locator("text=saved").wait_for()  # lti.js posted the signed answer to the course editor
    assert len(platform.deep_link_items) == 1 and platform.deep_link_items[0]["type"] == "ltiResourceLink"
    context.close()


def test_the_admins_lti_pages_pass_axe(app, server, browser, make_user, platform):
    make_user("admin", role="admin")
    page = signed_in_page(browser, server, "admin")
    page.goto(f"{server}/admin/")
    page.click("text=LTI platforms")
    page.wait_for_url("**/admin/lti/")
    no_axe_violations(page)
    page.click("text=Moodle")
    page.wait_for_url("**/admin/lti/*")
    no_axe_violations(page)
    page.goto(f"{server}/lti/courses")
    no_axe_violations(page)
    page.close()
