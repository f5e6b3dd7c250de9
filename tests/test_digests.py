"""Daily digests, sent to a real SMTP server the tests start on a local port: once a day per
person, in their language; a failed send releases the day; a clear word without SMTP settings."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as email_policy

import pytest

from lms.coaching import assigning, help_requests
from lms.coaching.models import Notification
from lms.db import utcnow

from .coaching_helpers import catalog, count, users


@pytest.fixture
def smtp(app, monkeypatch):
    """An SMTP server on a free local port that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(message_from_bytes(envelope.content, policy=email_policy))
            return "250 OK"

    inbox = Inbox()
    port = free_port()  # aiosmtpd checks its own port once started, so 0 will not do
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "LMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "LMS_SMTP_PORT", port)
    monkeypatch.setitem(app.config, "LMS_BASE_URL", "https://academy.example")
    yield inbox
    controller.stop()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _with_emails(app, team):
    with app.app_context():
        for user in users(team.coach, team.sara, team.parisa):
            user.email = f"{user.username}@example.com"
        coach, reza, sara, parisa = users(team.coach, team.other_coach, team.sara, team.parisa)
        cat = catalog(app)
        assigning.assign(coach, [sara], assigning.find_target(cat, "quiz:basics-refresher"),
                         utcnow().date() + timedelta(days=3), "Before Friday")
        assigning.assign(reza, [parisa], assigning.find_target(cat, "module:basics"), utcnow().date())
        help_requests.ask(sara, cat, "lesson", "basics-01-hello", "How long do I wait?")


def test_digests_are_mailed_once_a_day_in_each_persons_language(app, team, smtp):
    from lms.i18n import format_day

    _with_emails(app, team)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "Digests sent: 3; already sent today: 0; failed: 0." in result.output
    mails = {m["To"]: m for m in smtp.messages}
    assert set(mails) == {"maryam@example.com", "sara@example.com", "parisa@example.com"}
    sara_text = mails["sara@example.com"].get_body(("plain",)).get_content()
    assert "\u2068Maryam\u2069 assigned you “Basics refresher”" in sara_text  # the name isolated for direction
    assert "https://academy.example/quizzes/basics-refresher" in sara_text
    parisa_mail = mails["parisa@example.com"]
    with app.app_context():
        assert format_day(utcnow().date(), "fa") in parisa_mail["Subject"]
        html = parisa_mail.get_body(("html",)).get_content()
        assert 'dir="rtl"' in html and "مبانی" in html
        # Due today: on Parisa's list of what is due, with the date in Persian.
        assert format_day(utcnow().date(), "fa") in html
        assert count(Notification, Notification.emailed_at.is_(None), Notification.user_id != team.omid) == 0
    coach_text = mails["maryam@example.com"].get_body(("plain",)).get_content()
    assert "\u2068Sara\u2069 asked for help on “Say hello”" in coach_text and "Questions waiting for your answer: 1" in coach_text

    again = runner.invoke(args=["lms", "send-digests"])
    # Each digest would say something again (what is due has not changed), but today's went out.
    assert "Digests sent: 0; already sent today: 3" in again.output and len(smtp.messages) == 3


def test_a_failed_send_releases_the_day_and_says_so(app, team, monkeypatch):
    _with_emails(app, team)
    monkeypatch.setitem(app.config, "LMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "LMS_SMTP_PORT", free_port())  # nobody listens there
    result = app.test_cli_runner().invoke(args=["lms", "send-digests"])
    assert result.exit_code == 1 and "failed: 3" in result.output
    with app.app_context():
        from lms.coaching.models import DigestSent

        assert count(DigestSent) == 0 and count(Notification, Notification.emailed_at.is_not(None)) == 0


def test_without_smtp_settings_the_command_says_what_to_set(app, team):
    result = app.test_cli_runner().invoke(args=["lms", "send-digests"])
    assert result.exit_code == 1 and "Set LMS_SMTP_HOST" in result.output
    dry = app.test_cli_runner().invoke(args=["lms", "send-digests", "--dry-run"])
    assert dry.exit_code == 0


def test_no_digest_for_leavers_or_people_who_want_no_e_mail(app, team):
    from lms import db
    from lms.accounts.models import User

    _with_emails(app, team)
    with app.app_context():
        db.session.get(User, team.sara).wants_email = False
        db.session.get(User, team.parisa).active = False
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["lms", "send-digests", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "To: maryam@example.com" in result.output
    assert "sara@example.com" not in result.output and "parisa@example.com" not in result.output
