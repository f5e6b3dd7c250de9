"""The public verification page shows what is printed on the certificate and nothing more."""

import pytest

from lms import db
from lms.accounts.models import User
from lms.credentials import issuing
from lms.credentials.models import Certificate
from lms.credentials.render import page_context

from .conftest import shown, signed_in
from .quiz_helpers import complete
from .test_certificates import certificates, people  # noqa: F401 (people is a fixture)


@pytest.mark.parametrize("state", ["valid", "revoked"])
def test_the_page_repeats_the_printed_facts_and_no_others(app, people, state):
    complete(app, signed_in(app, "sara"))
    certificate = certificates(app)[0]
    with app.app_context():
        if state == "revoked":
            issuing.revoke(db.session.get(Certificate, certificate.id), "issued by mistake",
                           db.session.get(User, people["manager"]))
            db.session.commit()
        printed = page_context(db.session.get(Certificate, certificate.id), "en", "Test site")
    html = shown(app.test_client().get(f"/verify/{certificate.code}"))
    for fact in ("name", "title", "date", "issuer", "code"):
        assert printed[fact] in html, fact
    # Not printed, so not shown: the team, the username, who revoked it and why.
    for private in ("Alborz", "sara<", "issued by mistake", "Manager"):
        assert private not in html, private


def test_the_page_in_persian_gives_both_calendars(app, people):
    complete(app, signed_in(app, "sara"))
    certificate = certificates(app)[0]
    with app.app_context():
        printed = page_context(db.session.get(Certificate, certificate.id), "fa", "Test site")
    visitor = app.test_client()
    visitor.set_cookie("lms_locale", "fa")
    html = shown(visitor.get(f"/verify/{certificate.code}", headers={"Accept-Language": "fa"}))
    assert 'dir="rtl"' in html and printed["date"] in html and printed["date_other"] in html
