"""Certificates: issued on completion, issued and revoked by managers, printed in bulk,
verified publicly, exported as Open Badges 3.0."""

import json
import subprocess

import pytest
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User
from lms.credentials import issuing
from lms.credentials.models import Certificate

from .conftest import signed_in, token_for
from .quiz_helpers import complete, start, submit


def certificates(app, **where):
    with app.app_context():
        query = select(Certificate)
        for key, value in where.items():
            query = query.where(getattr(Certificate, key) == value)
        return db.session.scalars(query).all()


def pdf_text(tmp_path, data, name="c.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def people(app, make_user):
    return {"sara": make_user("sara", team="Alborz"), "omid": make_user("omid", team="Alborz"),
            "manager": make_user("manager", role="manager"),
            "far": make_user("far", role="manager", site="Other site")}


def complete_path(app, client):
    complete(app, client, "basics")
    complete(app, client, "advanced")


def test_passing_a_module_issues_its_certificate_and_the_path_one_at_the_end(app, people):
    sara = signed_in(app, "sara")
    complete(app, sara)
    assert [(c.kind, c.subject_id) for c in certificates(app, user_id=people["sara"])] == [("module", "basics")]
    complete(app, sara, "advanced")
    issued = {(c.kind, c.subject_id) for c in certificates(app, user_id=people["sara"])}
    assert issued == {("module", "basics"), ("module", "advanced"), ("path", "onboarding")}
    assert "Test path" in sara.get("/certificates").get_data(as_text=True)


def test_failing_issues_nothing_and_codes_are_unguessable(app, people):
    sara = signed_in(app, "sara")
    submit(sara, start(sara), {})
    assert certificates(app) == []
    with app.app_context():
        codes = {issuing.new_code() for _ in range(1000)}
    assert len(codes) == 1000 and all(len(c) == 22 for c in codes)


def test_the_pdf_holds_the_name_and_the_code_in_both_languages(app, people, tmp_path):
    sara = signed_in(app, "sara")
    complete(app, sara)
    code = certificates(app)[0].code
    english = pdf_text(tmp_path, sara.get(f"/certificates/{code}.pdf?lang=en").data)
    assert "Sara" in english and code in english and "Certificate of Completion" in english
    assert "has read every lesson of, and passed the final quiz of" in " ".join(english.split())
    persian = pdf_text(tmp_path, sara.get(f"/certificates/{code}.pdf?lang=fa").data, "fa.pdf")
    assert code in persian and "مبانی" in persian


def test_the_printed_verification_address_is_the_sites_not_the_requests(app, people, tmp_path, monkeypatch):
    """A forged Host header must not send the QR code and its address elsewhere."""
    monkeypatch.setitem(app.config, "LMS_BASE_URL", "https://academy.example/training")
    sara = signed_in(app, "sara")
    complete(app, sara)
    code = certificates(app)[0].code
    sara.environ_base["HTTP_HOST"] = "evil.example"
    text = pdf_text(tmp_path, sara.get(f"/certificates/{code}.pdf").data)
    assert f"https://academy.example/training/verify/{code}" in text and "evil.example" not in text


def test_a_name_with_markup_prints_as_text(app, people, tmp_path):
    with app.app_context():
        db.session.get(User, people["sara"]).display_name = '<img src="file:///etc/passwd">'
        db.session.commit()
    sara = signed_in(app, "sara")
    complete(app, sara)
    text = pdf_text(tmp_path, sara.get(f"/certificates/{certificates(app)[0].code}.pdf").data)
    assert '<img src="file:///etc/passwd">' in text and "root:" not in text


@pytest.mark.parametrize("state", ["valid", "revoked", "unknown", "malformed"])
def test_the_public_verification_page_in_each_state(app, people, state):
    sara = signed_in(app, "sara")
    complete(app, sara)
    certificate = certificates(app)[0]
    code = {"unknown": "A" * 22, "malformed": "<script>"}.get(state, certificate.code)
    if state == "revoked":
        with app.app_context():
            issuing.revoke(db.session.get(Certificate, certificate.id), "issued by mistake",
                           db.session.get(User, people["manager"]))
    page = app.test_client().get(f"/verify?code={code}")  # nobody signed in
    html = page.get_data(as_text=True)
    expected = {"valid": (200, "This certificate is valid."), "revoked": (200, "was revoked"),
                "unknown": (404, "No certificate has this code"), "malformed": (400, "not a verification code")}
    assert (page.status_code, expected[state][1] in html) == (expected[state][0], True)
    assert "issued by mistake" not in html and "Alborz" not in html and "<script>" not in html


def test_agents_cannot_fetch_each_others_certificates(app, people):
    sara = signed_in(app, "sara")
    complete(app, sara)
    code = certificates(app)[0].code
    omid = signed_in(app, "omid")
    assert omid.get(f"/certificates/{code}.pdf").status_code == 404
    assert omid.get(f"/certificates/{code}/badge.json").status_code == 404
    assert signed_in(app, "far").get(f"/certificates/{code}.pdf").status_code == 404


def test_manager_revokes_only_with_a_reason_then_can_issue_again(app, people):
    sara = signed_in(app, "sara")
    complete(app, sara)
    code = certificates(app)[0].code
    manager = signed_in(app, "manager")
    token = token_for(manager, "/manage/certificates")
    assert manager.post(f"/manage/certificates/{code}/revoke", data={"reason": "  ", "csrf_token": token}).status_code == 400
    assert certificates(app)[0].revoked_at is None
    assert manager.post(f"/manage/certificates/{code}/revoke",
                        data={"reason": "Wrong person", "csrf_token": token}).status_code == 303
    assert certificates(app)[0].revoke_reason == "Wrong person"
    again = manager.post("/manage/certificates/issue", data={"user_id": people["sara"], "subject": "module:basics",
                                                              "csrf_token": token})
    assert again.status_code == 303
    assert len(certificates(app, user_id=people["sara"], subject_id="basics")) == 2


def test_manager_cannot_issue_what_was_not_completed_or_for_another_site(app, people, make_user):
    manager = signed_in(app, "manager")
    token = token_for(manager, "/manage/certificates")
    not_done = manager.post("/manage/certificates/issue", data={"user_id": people["sara"], "subject": "module:basics",
                                                                 "csrf_token": token})
    assert not_done.status_code == 400
    stranger = make_user("stranger", team="Far team", site="Other site")
    other_site = manager.post("/manage/certificates/issue", data={"user_id": stranger, "subject": "module:basics",
                                                                   "csrf_token": token})
    assert other_site.status_code == 404 and certificates(app) == []


def test_bulk_print_of_a_team_is_one_page_per_certificate(app, people, make_user, tmp_path):
    for name in ("sara", "omid"):
        client = signed_in(app, name)
        complete_path(app, client)
    manager = signed_in(app, "manager")
    with app.app_context():
        team_id = db.session.get(User, people["sara"]).team_id
    response = manager.get(f"/manage/certificates/print.pdf?team_id={team_id}&subject=onboarding")
    assert response.mimetype == "application/pdf"
    (tmp_path / "bulk.pdf").write_bytes(response.data)
    info = subprocess.run(["pdfinfo", str(tmp_path / "bulk.pdf")], capture_output=True, text=True).stdout
    assert "Pages:           2" in info
    assert signed_in(app, "far").get(f"/manage/certificates/print.pdf?team_id={team_id}").status_code == 404
    assert manager.get("/manage/certificates/print.pdf?from=2026-02-30").status_code == 400
    assert signed_in(app, "sara").get("/manage/certificates").status_code == 403


def test_open_badges_export(app, people):
    sara = signed_in(app, "sara")
    complete(app, sara)
    code = certificates(app)[0].code
    badge = json.loads(sara.get(f"/certificates/{code}/badge.json").data)
    assert "OpenBadgeCredential" in badge["type"] and badge["id"].endswith(f"/verify/{code}")
    assert badge["credentialSubject"]["achievement"]["name"] == "Basics"
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    # the signed form (tests/test_badges.py verifies it) is linked from the holder's page
    assert f"/certificates/{code}/badge.jwt" in sara.get("/certificates").get_data(as_text=True)


def test_only_one_valid_certificate_per_achievement(app, people):
    with app.app_context():
        user = db.session.get(User, people["sara"])
        first = issuing.issue(user, "module", "basics", {"en": "Basics", "fa": "مبانی"})
        second = issuing.issue(user, "module", "basics", {"en": "Basics", "fa": "مبانی"})
        assert first.id == second.id
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def test_a_large_print_is_laid_out_in_parallel_parts_with_the_same_pages(app, people, make_user, tmp_path,
                                                                         monkeypatch):
    from lms.credentials import render

    make_user("neda", team="Alborz")
    for name in ("sara", "omid", "neda"):
        complete_path(app, signed_in(app, name))
    manager = signed_in(app, "manager")
    url = "/manage/certificates/print.pdf?subject=onboarding"
    whole = pdf_text(tmp_path, manager.get(url).data, "whole.pdf").split("\f")
    monkeypatch.setattr(render, "PART_SIZE", 1)
    monkeypatch.setitem(app.config, "LMS_PDF_PROCESSES", 2)
    parts = pdf_text(tmp_path, manager.get(url).data, "parts.pdf").split("\f")
    pages = [page for page in parts if page.strip()]
    assert pages == [page for page in whole if page.strip()] and len(pages) == 3
    assert [any(name in page for page in pages) for name in ("Sara", "Omid", "Neda")] == [True, True, True]
