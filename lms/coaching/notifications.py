"""In-app notifications: stored as a kind with parameters, worded when read, in the
reader's language; the daily digest mails the ones not mailed yet (digests.py)."""

from datetime import date

from flask import url_for
from sqlalchemy import func, select, update

from .. import db
from ..db import utcnow
from ..i18n import _, format_day
from .models import Notification
from .naming import subject_title, target_title


def notify(user_ids, kind, params, endpoint, endpoint_args=None, now=None):
    """Add a notification for each user, in the caller's transaction."""
    now = now or utcnow()
    db.session.add_all(Notification(user_id=user_id, kind=kind, params=params, endpoint=endpoint,
                                    endpoint_args=endpoint_args or {}, created_at=now) for user_id in user_ids)


def text_of(catalog, note):
    """The notification's sentence in the current language."""
    p = note.params
    if note.kind == "assigned":
        return _("%(by)s assigned you “%(title)s”, due %(due)s.", by=p["by"],
                 title=target_title(catalog, p["target"]), due=format_day(date.fromisoformat(p["due"])))
    if note.kind == "withdrawn":
        return _("%(by)s withdrew “%(title)s”: it is off your to-do list.", by=p["by"],
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
    return note.kind


def link_of(note, external=False):
    return url_for(note.endpoint, _external=external, **note.endpoint_args)


def unread_count(user_id):
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.user_id == user_id, Notification.read_at.is_(None)))


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
