"""What a quiz's result page offers next: the certificate a pass earned and the next module of
the learner's track, or, after a fail, what to do before trying again."""

import html
import re
from datetime import datetime, timezone

import time_machine
from sqlalchemy import select

from lms import db
from lms.credentials.models import Certificate

from .conftest import sign_in, signed_in
from .quiz_helpers import complete, pass_quiz, read_lessons, start, submit


def result(client, attempt_id, quiz="basics-quiz"):
    return html.unescape(client.get(f"/quizzes/{quiz}/attempts/{attempt_id}").get_data(as_text=True))


def codes(app, user_id):
    with app.app_context():
        return [c.code for c in db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                                   .order_by(Certificate.id))]


def test_a_pass_that_completes_a_module_links_its_certificate_and_the_next_module(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    page = result(client, complete(app, client))
    [code] = codes(app, user_id)
    assert "Your certificate" in page and f'href="/certificates/{code}.pdf"' in page
    assert 'href="/certificates">All my certificates' in page
    assert re.search(r'<a class="button primary" href="/modules/advanced">Next module: Advanced</a>', page)
    assert "Path complete" not in page and "What to do next" not in page


def test_the_pass_that_ends_the_path_shows_both_certificates_and_says_the_path_is_complete(app, client, make_user):
    user_id = make_user("sara")
    sign_in(client, "sara")
    first = complete(app, client)
    page = result(client, complete(app, client, "advanced"), "advanced-quiz")
    module_code, path_code = codes(app, user_id)[1:]
    assert f"/certificates/{module_code}.pdf" in page and f"/certificates/{path_code}.pdf" in page
    assert "Test path" in page and "Path complete: every module on it is done." in page
    assert "Next module" not in page
    assert "Test path" not in result(client, first)  # the earlier pass earned only its module's


def test_a_pass_with_lessons_left_shows_its_certificate_once_the_last_lesson_is_open(app, client, make_user):
    make_user("sara")
    sign_in(client, "sara")
    attempt_id = pass_quiz(app, client)
    page = result(client, attempt_id)
    assert "open its remaining lessons" in page and "Your certificate" not in page and "Next module" not in page
    read_lessons(client, "basics")
    page = result(client, attempt_id)
    assert "Your certificate" in page and "Next module: Advanced" in page


def test_a_failed_attempt_says_what_to_do_next_and_when(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    attempt_id = start(client)
    submit(client, attempt_id, {})
    page = result(client, attempt_id)
    assert "What to do next" in page and "reread those lessons before you try again" in page
    assert "You can start your next attempt in 1 hour" in page and ">Try again<" not in page
    assert "Ask your coach from any question below" in page and "Your certificate" not in page


def test_a_refresher_pass_shows_the_certificate_it_renewed(app, make_user):
    user_id = make_user("sara")
    with time_machine.travel(datetime(2026, 1, 15, 9, tzinfo=timezone.utc), tick=False):
        complete(app, signed_in(app, "sara"))
    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=timezone.utc), tick=False):  # within the reminder window
        client = signed_in(app, "sara")
        page = result(client, pass_quiz(app, client, "basics-refresher"), "basics-refresher")
    old, new = codes(app, user_id)
    assert f"/certificates/{new}.pdf" in page and f"/certificates/{old}.pdf" not in page
    assert "Valid until Jan 10, 2028" in page
