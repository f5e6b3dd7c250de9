"""A manager's certificates in a real browser, in English and in Persian: the revoked ones by
the status filter, a restore with a reason, and a print of exactly what the filter shows."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.credentials import issuing
from lms.credentials.models import Certificate
from lms.db import utcnow

from .browser import BROWSER, SHOTS, follow, no_axe_violations, signed_in_page

pytestmark = BROWSER


def holders_certificates(live_app, usernames, manager):
    """A policies certificate for each person, ending in 20 days; the first one revoked."""
    with live_app.app_context():
        catalog = live_app.extensions["lms"].catalog
        codes = []
        for username in usernames:
            holder = db.session.scalar(select(User).where(User.username == username))
            certificate = issuing.award(catalog, holder, "module", "policies")
            certificate.expires_at = utcnow() + timedelta(days=20)
            db.session.commit()
            codes.append(certificate.code)
        issuing.revoke(db.session.scalar(select(Certificate).where(Certificate.code == codes[0])),
                       "Took the quiz for someone else", db.session.scalar(
                           select(User).where(User.username == manager)))
        return codes


@pytest.mark.parametrize("locale", ["en", "fa"])
def test_a_manager_filters_revoked_restores_one_and_prints_the_filtered_list(
        app, live_app, server, browser, make_user, locale):
    SHOTS.mkdir(parents=True, exist_ok=True)
    manager = f"boss-{locale}"
    make_user(manager, role="manager", site=f"Site {locale}", locale=locale)
    names = [f"kian-{locale}", f"leila-{locale}"]
    make_user(names[0], team=f"Team {locale}", site=f"Site {locale}", locale="en")
    make_user(names[1], team=f"Team {locale}", site=f"Site {locale}", locale="fa")
    revoked, valid = holders_certificates(live_app, names, manager)

    page = signed_in_page(browser, server, manager, width=1200)
    page.goto(f"{server}/manage/certificates")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if locale == "fa" else "ltr")
    page.select_option("select#status", "revoked")
    follow(page, "form.filters button[type=submit]:not([formaction])")
    assert "status=revoked" in page.url
    rows = page.locator("table.certificates tbody tr[id]")
    assert rows.count() == 1 and revoked in rows.first.inner_text()
    assert "Took the quiz for someone else" in rows.first.inner_text()
    page.screenshot(path=SHOTS / f"{locale}-30-certificates-revoked.png", full_page=True)
    no_axe_violations(page)

    page.fill(f"#certificate-{revoked} input[name=reason]", "Checked the recording: it was her own work")
    follow(page, f"#certificate-{revoked} form button")
    assert page.locator("p.flash.info").count() == 1
    assert page.locator("table.certificates tbody tr[id]").count() == 0  # no longer revoked

    page.select_option("select#status", "expiring")
    with page.expect_response(lambda response: "/manage/certificates/print.pdf" in response.url) as printed:
        page.click("form.filters button[formaction]")
    response = printed.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "status=expiring" in response.url
    page.goto(f"{server}/manage/certificates?status=expiring")
    text = page.inner_text("table.certificates")
    assert revoked in text and valid in text
    page.screenshot(path=SHOTS / f"{locale}-31-certificates-expiring.png", full_page=True)
    no_axe_violations(page)
    page.close()

    agent = signed_in_page(browser, server, names[1], width=390)
    agent.goto(f"{server}/certificates")
    assert agent.locator("a.button.primary[href*='/quizzes/policies-refresher']").count() == 1
    agent.screenshot(path=SHOTS / f"{locale}-32-my-certificates.png", full_page=True)
    no_axe_violations(agent)
    agent.close()
