"""No dead ends: a form sent with an expired token comes back with what was typed, ready to
send again (after signing in again when the session ended); error pages lead somewhere."""

from sqlalchemy import select

from lms import db
from lms.coaching.models import HelpRequest

from .conftest import PASSWORD, csrf_from, sign_in, signed_in

ASK = "/help/ask?lesson=basics-01-hello"
QUESTION = "What if the customer\nnever stops talking?"
#: Browsers say where a form was posted from; the test client says nothing unless told.
OURS = {"Origin": "http://localhost"}


def questions(app):
    with app.app_context():
        return db.session.scalars(select(HelpRequest.question)).all()


def test_an_expired_form_comes_back_with_what_was_typed_to_send_again(app, make_user):
    make_user("sara", team="Alborz")
    client = signed_in(app, "sara")
    refused = client.post(ASK, data={"question": QUESTION, "csrf_token": "expired"}, headers=OURS)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "was not saved" in page and questions(app) == []
    assert f'action="{ASK}"' in page and f'name="question" rows="4" dir="auto">{QUESTION}</textarea>' in page
    again = client.post(ASK, data={"question": QUESTION, "csrf_token": csrf_from(page)})
    assert again.status_code == 303 and questions(app) == [QUESTION]


def test_a_form_sent_after_the_session_ended_is_kept_over_signing_in_again(app, make_user):
    make_user("sara", team="Alborz")
    client = app.test_client()  # the session is gone: no cookie at all
    refused = client.post(ASK, data={"question": QUESTION, "csrf_token": "from-the-old-session"}, headers=OURS)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "You were signed out" in page
    assert "never stops talking?</blockquote>" in page and "/sign-in?next=/sign-in/kept" in page
    assert "Back to my path" not in page
    signed = client.post("/sign-in?next=/sign-in/kept", data={
        "username": "sara", "password": PASSWORD, "csrf_token": csrf_from(client.get("/sign-in").get_data(as_text=True))})
    assert signed.headers["Location"] == "/sign-in/kept"
    kept = client.get("/sign-in/kept").get_data(as_text=True)
    assert f'action="{ASK}"' in kept and f">{QUESTION}</textarea>" in kept
    assert client.post(ASK, data={"question": QUESTION, "csrf_token": csrf_from(kept)}).status_code == 303
    assert questions(app) == [QUESTION]
    assert client.get("/sign-in/kept").status_code == 302  # sent once: nothing waits any more


def test_passwords_and_the_stale_token_are_never_sent_back(app, make_user):
    make_user("sara")
    client = signed_in(app, "sara")
    page = client.post("/account", data={"current_password": PASSWORD, "new_password": "a new secret phrase",
                                         "email": "sara@example.org", "csrf_token": "stale-token"},
                       headers={"Referer": "http://localhost/account"}).get_data(as_text=True)
    assert PASSWORD not in page and "a new secret phrase" not in page and "stale-token" not in page
    assert 'name="email" value="sara@example.org"' in page


def test_a_form_posted_from_another_site_is_refused_and_not_offered_again(app, make_user):
    make_user("sara", team="Alborz")
    for client in (signed_in(app, "sara"), app.test_client()):  # with the session, or without (SameSite)
        for headers in ({"Origin": "https://evil.example"}, {}):
            page = client.post(ASK, data={"question": QUESTION, "csrf_token": "forged"}, headers=headers)
            assert page.status_code == 400 and "did not come from this site" in page.get_data(as_text=True)
            assert "textarea" not in page.get_data(as_text=True)
    sign_in(client, "sara")
    assert client.get("/sign-in/kept").status_code == 302 and questions(app) == []  # nothing kept to send


def test_a_mistyped_address_says_what_was_asked_and_where_to_go(app, make_user):
    make_user("sara")
    visitor = app.test_client()
    english = visitor.get("/no-such-page").get_data(as_text=True)
    assert "There is nothing at this address" in english and "<code>/no-such-page</code>" in english
    assert ">Sign in</a>" in english and "Back to my path" not in english
    persian = visitor.get("/no-such-page", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'dir="rtl"' in persian and '<bdi dir="ltr"><code>/no-such-page</code></bdi>' in persian
    client = app.test_client()
    sign_in(client, "sara")
    page = client.get("/modules/no-such-module").get_data(as_text=True)
    assert "/modules/no-such-module" in page and "Back to my path" in page and ">Sign in</a>" not in page


def test_an_error_page_leads_staff_back_to_their_dashboard(app, make_user):
    make_user("maryam", role="coach", coach_of=("Alborz",))
    page = signed_in(app, "maryam").get("/manage/certificates")  # managers only
    assert page.status_code == 403
    assert '<a href="/coaching">Back to coaching</a>' in page.get_data(as_text=True)
