"""Managing certificates: a revoked one stays listed and is restored with a reason; the
manager's status filter; prints that follow the filter, each in its holder's language."""

import subprocess
from datetime import datetime

from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.credentials import issuing
from lms.credentials.models import Certificate

from .conftest import signed_in, token_for
from .quiz_helpers import complete
from .test_certificate_lifecycle import BASICS, ISSUED, at, certificates, give, notes, people  # noqa: F401


def pdf_pages(tmp_path, data):
    path = tmp_path / "print.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


# -- revoke and restore -------------------------------------------------------------------

def test_a_revoked_certificate_stays_listed_and_is_restored_only_with_a_reason(app, people):
    code = certificates(app, id=give(app, people["sara"]))[0].code
    manager = signed_in(app, "manager")
    token = token_for(manager, "/manage/certificates")
    assert manager.post(f"/manage/certificates/{code}/revoke", data={"reason": "Shared the quiz answers",
                                                                     "csrf_token": token}).status_code == 303
    listed = manager.get("/manage/certificates?status=revoked").get_data(as_text=True)
    assert code in listed and "Shared the quiz answers" in listed and "by <bdi>Manager</bdi>" in listed
    assert "/restore" in listed

    blank = manager.post(f"/manage/certificates/{code}/restore?status=revoked", data={"reason": " ",
                                                                                     "csrf_token": token})
    assert blank.status_code == 400 and "Give a reason." in blank.get_data(as_text=True)
    assert certificates(app)[0].revoked_at is not None
    done = manager.post(f"/manage/certificates/{code}/restore?status=revoked",
                        data={"reason": "The answers were his own", "csrf_token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith("/manage/certificates?status=revoked")
    [restored] = certificates(app)
    assert (restored.revoked_at, restored.restore_reason, restored.restored_by) == (
        None, "The answers were his own", people["manager"])
    assert restored.status == "valid"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "certificate.restored"))
        assert event.before["status"] == "revoked" and event.before["revoke_reason"] == "Shared the quiz answers"
        assert (event.after, event.reason, event.actor_id) == ({"status": "valid"}, "The answers were his own",
                                                               people["manager"])
    assert [text for _kind, text in notes(app, people["sara"])][1:] == [
        "Manager revoked your certificate “Basics”: Shared the quiz answers",
        "Manager restored your certificate “Basics”: The answers were his own"]
    page = manager.get("/manage/certificates").get_data(as_text=True)
    assert "Restored on" in page and "The answers were his own" in page
    assert manager.post(f"/manage/certificates/{code}/restore", data={"reason": "again", "csrf_token": token}
                        ).status_code == 400


def test_restoring_is_refused_while_another_current_certificate_exists(app, people):
    old_id = give(app, people["sara"])
    with app.app_context():
        manager = db.session.get(User, people["manager"])
        issuing.revoke(db.session.get(Certificate, old_id), "Issued by mistake", manager)
        issuing.issue(db.session.get(User, people["sara"]), "module", "basics", BASICS, issued_by=manager)
        db.session.commit()
    code = certificates(app, id=old_id)[0].code
    client = signed_in(app, "manager")
    refused = client.post(f"/manage/certificates/{code}/restore",
                          data={"reason": "It was right", "csrf_token": token_for(client, "/manage/certificates")})
    assert refused.status_code == 409
    assert "holds another current certificate for the same achievement" in refused.get_data(as_text=True)
    assert certificates(app, id=old_id)[0].revoked_at is not None
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "certificate.restored")) is None


def test_only_a_manager_of_the_holders_site_restores(app, people, make_user):
    certificate_id = give(app, people["sara"])
    with app.app_context():
        issuing.revoke(db.session.get(Certificate, certificate_id), "x", db.session.get(User, people["manager"]))
    code = certificates(app)[0].code
    make_user("far", role="manager", site="Other site")
    for name, status in (("far", 404), ("maryam", 403), ("sara", 403)):
        client = signed_in(app, name)
        token = token_for(client, "/certificates")
        assert client.post(f"/manage/certificates/{code}/restore",
                           data={"reason": "y", "csrf_token": token}).status_code == status, name
    assert certificates(app)[0].revoked_at is not None


# -- the manager's list: status filter and print -----------------------------------------

def test_the_status_filter_shows_each_status(app, people, make_user):
    now = datetime(2026, 6, 1)
    ids = {"valid": give(app, people["sara"], datetime(2027, 1, 1)),
           "expiring": give(app, make_user("neda", team="Alborz"), datetime(2026, 6, 20)),
           "expired": give(app, make_user("omid", team="Alborz"), datetime(2026, 5, 1)),
           "revoked": give(app, make_user("kaveh", team="Alborz")),
           "forever": give(app, people["parisa"])}
    with app.app_context():
        manager = db.session.get(User, people["manager"])
        issuing.revoke(db.session.get(Certificate, ids["revoked"]), "x", manager)
        renewed = db.session.get(Certificate, ids["expired"])
        issuing.renew(app.extensions["lms"].catalog, renewed, manager, now=datetime(2026, 5, 2))
        db.session.commit()
    code = {name: certificates(app, id=i)[0].code for name, i in ids.items()}
    renewal = certificates(app)[-1].code
    expected = {"valid": {"valid", "forever", "renewal", "expiring"}, "expiring": {"expiring"}, "expired": set(),
                "revoked": {"revoked"}, "renewed": {"expired"}, "all": set(code) | {"renewal"}}
    code["renewal"] = renewal
    with at(now):
        client = signed_in(app, "manager")  # a session signed "in the future" would not count
        for status, names in expected.items():
            page = client.get(f"/manage/certificates?status={status}").get_data(as_text=True)
            assert {n for n, c in code.items() if c in page} == names, status
        assert client.get("/manage/certificates?status=lost").status_code == 400
        # valid and expiring soon are printed; the rest of "all" is left out and the page says so
        page = client.get("/manage/certificates").get_data(as_text=True)
        assert "6 listed; the print holds the 4 valid ones, each in its holder's language, and leaves out 2 " in page
        assert client.get("/manage/certificates/print.pdf?status=revoked").status_code == 404


def test_the_print_button_follows_the_filter_form(app, people):
    give(app, people["sara"])
    page = signed_in(app, "manager").get("/manage/certificates?status=valid").get_data(as_text=True)
    form = page[page.index('<form method="get"'):page.index("</form>", page.index('<form method="get"'))]
    assert 'formaction="/manage/certificates/print.pdf"' in form and 'name="status"' in form


def test_a_bulk_print_is_in_each_holders_language_and_names_their_site(app, people, make_user, tmp_path):
    give(app, people["sara"], datetime(2027, 1, 15, 9))
    give(app, people["parisa"], datetime(2027, 1, 15, 9))
    far = make_user("farid", team="Far team", site="Other site", locale="fa")
    give(app, far)
    revoked = give(app, make_user("kaveh", team="Alborz"))
    with app.app_context():
        issuing.revoke(db.session.get(Certificate, revoked), "x", db.session.get(User, people["manager"]))
    manager = signed_in(app, "manager")  # an English-speaking manager
    pages = pdf_pages(tmp_path, manager.get("/manage/certificates/print.pdf?status=all").data)
    assert len(pages) == 2  # the revoked one is left out; the other site's is not the manager's
    parisa, sara = pages  # by name: Parisa, Sara
    assert "Certificate of Completion" in sara and "Valid until Jan 15, 2027" in sara and "Test site" in sara
    assert "پایان دوره" in parisa and "Certificate of Completion" not in parisa  # (pdftotext drops the ZWNJ)
    assert "معتبر تا" in parisa and "۱۴۰۵" in parisa  # Jalali year, Persian digits
    everyone = pdf_pages(tmp_path, signed_in(app, "admin").get("/manage/certificates/print.pdf").data)
    assert len(everyone) == 3 and "Other site" in everyone[0] and "Test site" in everyone[1]


def test_a_single_pdf_is_in_its_holders_language_unless_asked_otherwise(app, people, tmp_path):
    code = certificates(app, id=give(app, people["parisa"], datetime(2027, 1, 15, 9)))[0].code
    manager = signed_in(app, "manager")
    [persian] = pdf_pages(tmp_path, manager.get(f"/certificates/{code}.pdf").data)
    [english] = pdf_pages(tmp_path, manager.get(f"/certificates/{code}.pdf?lang=en").data)
    assert "پایان دوره" in persian and "Valid until Jan 15, 2027" in english


def test_the_verification_page_says_until_when_a_certificate_is_valid(app, people):
    code = certificates(app, id=give(app, people["sara"], datetime(2027, 1, 15, 9)))[0].code
    with at(datetime(2026, 6, 1)):
        page = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "This certificate is valid." in page and "Valid until</dt><dd>Jan 15, 2027" in page


def test_a_manager_issuing_for_an_expired_holder_renews_the_certificate(app, people):
    with at(ISSUED):
        complete(app, signed_in(app, "sara"))
    with at(datetime(2027, 2, 1)):
        manager = signed_in(app, "manager")
        issued = manager.post("/manage/certificates/issue", data={
            "user_id": people["sara"], "subject": "module:basics",
            "csrf_token": token_for(manager, "/manage/certificates")})
        assert issued.status_code == 303
    old, new = certificates(app)
    assert old.renewed_by_id == new.id and new.issued_by == people["manager"]
    assert new.expires_at == datetime(2028, 2, 1)
