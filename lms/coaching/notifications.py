"""In-app notifications: stored as a kind with parameters, worded when read, in the
reader's language; the daily digest mails the ones not mailed yet (digests.py)."""

from datetime import date

from flask import url_for
from sqlalchemy import select, update

from .. import db
from ..db import utcnow
from ..i18n import _, content_text, format_day, isolate
from .models import Notification
from .naming import subject_title, target_title


def notify(user_ids, kind, params, endpoint, endpoint_args=None, now=None):
    """Add a notification for each user, in the caller's transaction."""
    now = now or utcnow()
    db.session.add_all(Notification(user_id=user_id, kind=kind, params=params, endpoint=endpoint,
                                    endpoint_args=endpoint_args or {}, created_at=now) for user_id in user_ids)


def _day(iso):
    return format_day(date.fromisoformat(iso))


def _certificate_text(catalog, kind, p):
    """The certificate notices: to the holder, or (with ``agent``) to their coaches."""
    title = content_text(p["title"])
    renew = target_title(catalog, p["renew_with"]) if p.get("renew_with") else None
    if kind == "certificate_issued":
        return (_("Your certificate “%(title)s” is ready; it is valid until %(date)s.", title=title,
                  date=_day(p["until"])) if p.get("until") else _("Your certificate “%(title)s” is ready.", title=title))
    if kind == "certificate_renewed":
        return _("Your certificate “%(title)s” is renewed; the new one is valid until %(date)s.", title=title,
                 date=_day(p["until"]))
    if kind == "certificate_revoked":
        return _("%(by)s revoked your certificate “%(title)s”: %(reason)s", by=p["by"], title=title,
                 reason=p["reason"])
    if kind == "certificate_restored":
        return _("%(by)s restored your certificate “%(title)s”: %(reason)s", by=p["by"], title=title,
                 reason=p["reason"])
    values = {"title": title, "date": _day(p["date"]), "quiz": renew}
    expiring = kind == "certificate_expiring"
    if "agent" in p:
        text = (_("%(agent)s's certificate “%(title)s” expires on %(date)s.", agent=p["agent"], **values) if expiring
                else _("%(agent)s's certificate “%(title)s” expired on %(date)s.", agent=p["agent"], **values))
        return text + (" " + _("“%(quiz)s” is on their to-do list to renew it.", **values) if renew else "")
    text = (_("Your certificate “%(title)s” expires on %(date)s.", **values) if expiring
            else _("Your certificate “%(title)s” expired on %(date)s.", **values))
    return text + (" " + _("Pass “%(quiz)s” to renew it: it is on your to-do list.", **values) if renew else "")


#: The parameters people typed (names, reasons, next steps), isolated for direction in the sentence.
_TYPED = ("by", "agent", "coach", "reason", "next_step", "said")


def text_of(catalog, note):
    """The notification's sentence in the current language."""
    p = {key: isolate(value) if key in _TYPED and value else value for key, value in note.params.items()}
    if note.kind.startswith("certificate_"):
        return _certificate_text(catalog, note.kind, p)
    if note.kind == "assigned":
        return _("%(by)s assigned you “%(title)s”, due %(due)s.", by=p["by"],
                 title=target_title(catalog, p["target"]), due=_day(p["due"]))
    if note.kind == "withdrawn":
        return _("%(by)s withdrew “%(title)s”: it is off your to-do list.", by=p["by"],
                 title=target_title(catalog, p["target"]))
    if note.kind == "reviewed":
        return _("%(coach)s reviewed your reply in “%(title)s”.", coach=p["coach"],
                 title=target_title(catalog, p["target"]))
    if note.kind == "help_asked":
        return _("%(agent)s asked for help on “%(subject)s”.", agent=p["agent"],
                 subject=subject_title(catalog, p["kind"], p["subject"]))
    if note.kind == "help_answered":
        return _("%(coach)s answered your question on “%(subject)s”.", coach=p["coach"],
                 subject=subject_title(catalog, p["kind"], p["subject"]))
    if note.kind == "one_on_one":
        return _("%(coach)s logged your 1:1 conversation. Agreed next step: %(next_step)s", coach=p["coach"],
                 next_step=p["next_step"])
    if note.kind == "praised":
        return _("%(by)s recorded a customer's praise of you: “%(said)s”", by=p["by"], said=p["said"])
    return note.kind


def link_of(note, external=False):
    return url_for(note.endpoint, _external=external, **note.endpoint_args)


def recent(user_id, limit=50):
    return db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                              .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()


def mark_read(user_id, notification_id=None, now=None):
    """Mark one of the user's notifications read, or all of them; another's id changes nothing."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=now or utcnow()).execution_options(synchronize_session=False))
    db.session.commit()
