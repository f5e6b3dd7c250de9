"""Sign-in, throttling, the language switch, and the hardening on every response."""

import re

import pytest
from sqlalchemy import select

from lms import db
from lms.accounts.models import User

from .conftest import PASSWORD, sign_in, token_for


def test_sign_in_and_out(client, make_user):
    make_user("sara")
    response = sign_in(client, "sara")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Sara" in client.get("/").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": token_for(client)})
    assert client.get("/").status_code == 302


def test_a_wrong_password_rerenders_with_a_message(client, make_user):
    make_user("sara")
    response = sign_in(client, "sara", "wrong")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)


def test_missing_fields_rerender_with_their_errors(client):
    token = token_for(client, "/sign-in")
    response = client.post("/sign-in", data={"username": "", "password": "", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Enter your username or e-mail address." in page and "Enter your password." in page


def test_sign_in_is_throttled_after_repeated_failures_even_with_the_right_password(app, client, make_user):
    make_user("sara")
    for _ in range(app.config["LMS_LOGIN_MAX_FAILURES"]):
        assert sign_in(client, "sara", "nope").status_code == 401
    blocked = sign_in(client, "sara", PASSWORD)
    assert blocked.status_code == 429 and "Too many failed sign-ins" in blocked.get_data(as_text=True)


def test_next_only_redirects_within_the_site(client, make_user):
    make_user("sara")
    token = token_for(client, "/sign-in")
    response = client.post("/sign-in?next=https://evil.example/", data={
        "username": "sara", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("role, home", [("agent", "/"), ("coach", "/coaching"), ("manager", "/coaching"),
                                        ("admin", "/coaching")])
def test_each_role_lands_on_its_own_home_after_sign_in_and_from_the_brand(client, make_user, role, home):
    make_user("pat", role=role)
    assert sign_in(client, "pat").headers["Location"] == home
    brand = re.search(r'<a class="brand" href="([^"]+)"', client.get("/account").get_data(as_text=True))
    assert brand.group(1) == home


def test_a_given_next_wins_over_a_staff_home(client, make_user):
    make_user("coach", role="coach")
    token = token_for(client, "/sign-in")
    response = client.post("/sign-in?next=/gaps", data={"username": "coach", "password": PASSWORD,
                                                         "csrf_token": token})
    assert response.headers["Location"] == "/gaps"


def test_sign_in_without_a_csrf_token_is_refused(client, make_user):
    make_user("sara")
    response = client.post("/sign-in?next=/todo", data={"username": "sara", "password": PASSWORD},
                           headers={"Referer": "http://localhost/sign-in?next=/todo"})
    assert response.status_code == 303 and response.headers["Location"] == "/sign-in?next=/todo"
    assert "The sign-in page had expired. Sign in again." in client.get("/sign-in").get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
    forged = client.post("/sign-in", data={"username": "sara", "password": PASSWORD})  # from nowhere we know
    assert forged.status_code == 400 and "expired" in forged.get_data(as_text=True)


def test_security_headers_and_cookie_flags(client, make_user):
    make_user("sara")
    response = sign_in(client, "sara")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain http here
    page = client.get("/")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff" and page.headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_secure_over_https(client, make_user):
    make_user("sara")
    token = token_for(client, "/sign-in")
    response = client.post("/sign-in", base_url="https://localhost",
                           data={"username": "sara", "password": PASSWORD, "csrf_token": token})
    assert "Secure" in response.headers["Set-Cookie"]


def test_language_choice_is_kept_for_the_user(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    response = client.post("/language", data={"locale": "fa", "next": "/", "csrf_token": token_for(client)})
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="fa"' in page and "مسیر من" in page
    with app.app_context():
        assert db.session.get(User, user_id).locale == "fa"
    fresh = app.test_client()
    sign_in(fresh, "sara")  # another browser: the user's choice follows them
    assert 'dir="rtl"' in fresh.get("/").get_data(as_text=True)


def test_an_unknown_language_is_a_400(client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    response = client.post("/language", data={"locale": "xx", "csrf_token": token_for(client)})
    assert response.status_code == 400


def test_passwords_are_stored_hashed(app, make_user):
    make_user("sara")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "sara"))
        assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)


def test_a_mistyped_address_gets_the_plugins_error_page_in_the_visitors_language(client):
    english = client.get("/no-such-page")
    assert english.status_code == 404 and "Not found" in english.get_data(as_text=True)
    persian = client.get("/no-such-page", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'dir="rtl"' in persian and "پیدا نشد" in persian
