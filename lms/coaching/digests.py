"""The daily digest: one e-mail per person and day with their new notifications and what
is due or late, in their language. Sent by ``flask lms send-digests`` over SMTP."""

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import db, i18n
from ..accounts.models import User
from ..accounts.permissions import coachable_agents, is_agent
from ..db import utcnow
from ..i18n import _
from . import assigning, help_requests, todo
from .models import DigestSent, Notification
from .notifications import link_of, text_of


@dataclass
class Digest:
    user: User
    notifications: list = field(default_factory=list)  # (notification, text, url)
    late: list = field(default_factory=list)  # the agent's to-dos that are overdue or due today
    waiting_help: int = 0  # a coach's unanswered questions
    overdue_assignments: int = 0  # a coach's agents' late assignments

    @property
    def empty(self):
        return not (self.notifications or self.late or self.waiting_help or self.overdue_assignments)


def compose(catalog, user, today):
    """What goes in ``user``'s digest today (call with their language active)."""
    digest = Digest(user)
    notes = db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                          Notification.emailed_at.is_(None),
                                                          Notification.read_at.is_(None))
                               .order_by(Notification.created_at)).all()
    digest.notifications = [(n, text_of(catalog, n), link_of(n, external=True)) for n in notes]
    if is_agent(user):
        digest.late = [t for t in todo.todo_for(catalog, user, today) if t.due_on is not None and t.due_on <= today]
    else:
        agent_ids = [a.id for a in coachable_agents(user)]
        digest.waiting_help = len(help_requests.waiting(agent_ids))
        digest.overdue_assignments = len(assigning.overdue(agent_ids, today))
    return digest


def render(digest, today):
    """(subject, text body, HTML body) in the current language."""
    subject = _("CX Academy: your digest for %(date)s", date=i18n.format_day(today))
    locale = i18n.current_locale()
    # Rendered outside the plugin's pages, so the helpers its pages get are passed here.
    context = {"digest": digest, "today": today, "subject": subject, "fmt_day": i18n.format_day,
               "num": i18n.localize_digits, "lms_locale": locale, "lms_dir": i18n.text_direction(locale)}
    return (subject, render_template("lms/coaching/digest.txt", **context),
            render_template("lms/coaching/digest.html", **context))


class MailNotConfigured(RuntimeError):
    pass


@dataclass
class Report:
    sent: list = field(default_factory=list)
    already: list = field(default_factory=list)  # digests another run sent today
    failed: list = field(default_factory=list)  # (username, error)


def send_digests(catalog, today, now=None, dry_run=False, echo=print):
    """Compose and send today's digests. Each person's day is claimed in the database
    before sending, so concurrent runs never send twice; a failed send releases the claim."""
    now = now or utcnow()
    config = current_app.config
    if not dry_run and not config["LMS_SMTP_HOST"]:
        raise MailNotConfigured("Set LMS_SMTP_HOST (and LMS_SMTP_PORT, LMS_SMTP_SECURITY, LMS_SMTP_USERNAME, "
                                "LMS_SMTP_PASSWORD, LMS_MAIL_FROM) to send digests.")
    report = Report()
    users = db.session.scalars(select(User).where(User.active.is_(True), User.wants_email.is_(True),
                                                  User.email.is_not(None), User.email != "").order_by(User.id)).all()
    with _Mailer(config, dry_run) as mailer:
        for user in users:
            with current_app.test_request_context(base_url=config["LMS_BASE_URL"]):
                i18n.activate(i18n.language_of(user))
                try:
                    digest = compose(catalog, user, today)
                    if digest.empty:
                        continue
                    message = _message(config, user, *render(digest, today))
                finally:
                    i18n.deactivate()
            if dry_run:  # readable, not MIME: the text part as the person would read it
                echo(f"To: {message['To']}\nSubject: {message['Subject']}\n\n"
                     f"{message.get_body(('plain',)).get_content()}\n")
                continue
            _send_one(mailer, user, digest, message, today, now, report)
    return report


def _send_one(mailer, user, digest, message, today, now, report):
    claim = DigestSent(user_id=user.id, day=today, sent_at=now)
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        report.already.append(user.username)
        return
    try:
        mailer.send(message)
    except (smtplib.SMTPException, OSError) as error:
        db.session.delete(claim)
        db.session.commit()
        report.failed.append((user.username, str(error)))
        return
    ids = [n.id for n, _text, _url in digest.notifications]
    if ids:
        db.session.execute(update(Notification).where(Notification.id.in_(ids)).values(emailed_at=now)
                           .execution_options(synchronize_session=False))
        db.session.commit()
    report.sent.append(user.username)


def _message(config, user, subject, text, html):
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["LMS_MAIL_FROM"]
    message["To"] = user.email
    message["Message-ID"] = make_msgid(domain="cx-academy")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


class _Mailer:
    """One SMTP connection for the whole run, opened only when something is sent."""

    def __init__(self, config, dry_run):
        self.config, self.dry_run, self.smtp = config, dry_run, None

    def __enter__(self):
        return self

    def send(self, message):
        if self.smtp is None:
            self.smtp = self._connect()
        self.smtp.send_message(message)

    def _connect(self):
        c = self.config
        security = c["LMS_SMTP_SECURITY"]
        cls = smtplib.SMTP_SSL if security == "ssl" else smtplib.SMTP
        smtp = cls(c["LMS_SMTP_HOST"], int(c["LMS_SMTP_PORT"]), timeout=30)
        if security == "starttls":
            smtp.starttls()
        if c["LMS_SMTP_USERNAME"]:
            smtp.login(c["LMS_SMTP_USERNAME"], c["LMS_SMTP_PASSWORD"] or "")
        return smtp

    def __exit__(self, *exc):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except smtplib.SMTPException:
                pass
