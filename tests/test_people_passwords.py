"""Passwords handed out and chosen: a reset's temporary password, the forced change at the
next sign-in, and the first passwords of an import's new people (page and CSV)."""

import re

from sqlalchemy import insert

from lms import db
from lms.accounts.models import Site, User
from lms.people import passwords
from tests.conftest import csrf_from, sign_in, signed_in, token_for
from tests.people_helpers import events, get, people  # noqa: F401 (people: a fixture)


def test_reset_password_gives_a_readable_temporary_password_never_logged(ctx, people):
    admin, sara = db.session.get(User, people["admin"]), db.session.get(User, people["sara"])
    password = passwords.reset_password(sara, admin)
    db.session.commit()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert sara.check_password(password) and sara.must_change_password
    [event] = events("person.password_reset")
    assert password not in repr((event.before, event.after, event.reason))


def test_temporary_password_then_forced_change(app, people):
    admin = signed_in(app, "admin")
    path = f"/admin/people/{people['sara']}"
    answer = admin.post(f"{path}/password", data={"csrf_token": token_for(admin, path)})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert 'name="username" type="text" value="sara"' in answer.get_data(as_text=True)  # the form still shows her
    password = re.search(r'class="temp-password">([^<]+)<', answer.get_data(as_text=True)).group(1)
    assert password not in admin.get(path).get_data(as_text=True)  # shown once

    sara = app.test_client()
    assert sign_in(sara, "sara", password).headers["Location"].endswith("/account")
    assert sara.get("/").headers["Location"].endswith("/account")
    assert sara.get("/teams").headers["Location"].endswith("/account")
    token = token_for(sara, "/account")
    short = sara.post("/account", data={"password-current": password, "password-new": "short",
                                        "password-again": "short", "csrf_token": token})
    assert short.status_code == 400 and "Use at least 10 characters." in short.get_data(as_text=True)
    differ = sara.post("/account", data={"password-current": password, "password-new": "a long new secret",
                                         "password-again": "another secret", "csrf_token": token})
    assert differ.status_code == 400
    done = sara.post("/account", data={"password-current": password, "password-new": "a long new secret",
                                       "password-again": "a long new secret", "csrf_token": token})
    assert done.status_code == 302
    assert sara.get("/").status_code == 200
    with app.app_context():
        user = db.session.get(User, people["sara"])
        assert not user.must_change_password and user.check_password("a long new secret")


def test_with_a_temporary_password_only_the_account_page_sign_out_and_language_open(app, people):
    with app.app_context():
        password = passwords.reset_password(db.session.get(User, people["sara"]), None)
        db.session.commit()
    sara = app.test_client()
    sign_in(sara, "sara", password)
    token = token_for(sara, "/account")
    assert sara.get(f"/people/{people['sara']}").headers["Location"].endswith("/account")
    assert sara.post("/language", data={"locale": "fa", "csrf_token": token, "next": "/account"}).status_code == 302
    assert 'lang="fa"' in sara.get("/account").get_data(as_text=True)
    assert sara.post("/sign-out", data={"csrf_token": token}).headers["Location"].endswith("/sign-in")


def imported(site_name, *names):
    """People as an import leaves them: no password at all."""
    site = get(Site, name=site_name)
    db.session.execute(insert(User), [{"username": n.lower(), "display_name": n, "role": "agent", "locale": "en",
                                       "site_id": site.id, "employee_id": f"E-{n}", "must_change_password": True}
                                      for n in names])
    db.session.commit()


def test_a_manager_downloads_first_passwords_for_their_sites_new_people_once(app, people):
    with app.app_context():
        imported("Tehran", "Nika", "Arman")
        imported("Shiraz", "Hafez")
    manager = signed_in(app, "manager")
    page = manager.get("/admin/people/").get_data(as_text=True)
    assert "People without a password yet (added by an import): 2." in page
    sheet = manager.post("/admin/people/first-passwords", data={"csrf_token": csrf_from(page)})
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    rows = sheet.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows[0] == "employee id,name,username,email,team,temporary password" and len(rows) == 3
    passwords = {row.split(",")[2]: row.split(",")[-1] for row in rows[1:]}
    assert sorted(passwords) == ["arman", "nika"]  # not Shiraz's new person
    nika = app.test_client()
    assert sign_in(nika, "nika", passwords["nika"]).headers["Location"].endswith("/account")
    with app.app_context():
        assert len(events("person.password_reset")) == 2
        assert get(User, username="hafez").password_hash is None
    again = manager.post("/admin/people/first-passwords", data={"csrf_token": token_for(manager, "/admin/people/")})
    assert again.status_code == 303  # everyone of the site has one now: nothing handed out twice
    with app.app_context():
        assert len(events("person.password_reset")) == 2


def test_first_passwords_are_for_site_runners_only(app, people):
    coach = signed_in(app, "maryam")
    answer = coach.post("/admin/people/first-passwords", data={"csrf_token": token_for(coach, "/notifications")})
    assert answer.status_code == 403
