"""Certificates that end: their end date, the reminder before it and the notice after it
(``flask lms certificate-reminders``, from cron), with the renewal refresher assigned."""

import calendar
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from .. import db
from ..accounts.models import TeamCoach, User
from ..coaching.assigning import assign_by_system, find_target
from ..coaching.notifications import notify
from ..db import utcnow
from .models import MODULE, Certificate


def add_months(moment, months):
    """``moment`` so many calendar months on; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def remind_window():
    """How long before its end a certificate counts as expiring (LMS_CERTIFICATE_REMIND_DAYS)."""
    return timedelta(days=int(current_app.config["LMS_CERTIFICATE_REMIND_DAYS"]))


def is_renewable(certificate, now):
    """Expiring (within the reminder window) or expired: a pass of its quiz renews it."""
    return certificate.expires_at is not None and certificate.expires_at <= now + remind_window()


def expiring_soon(now):
    """SQL: valid, but ending within the reminder window."""
    return (Certificate.expires_at > now) & (Certificate.expires_at <= now + remind_window())


def send_reminders(catalog, now=None):
    """Remind the holders (and their teams' coaches) of current certificates ending within
    the window, and tell them once more when one has ended; each time the renewal quiz
    lands on the holder's to-do list unless it is there already. Each certificate is
    claimed by a conditional update of ``reminded_at`` before anyone is told, so two runs at
    once never tell twice, and a run that was missed catches up on the next one. Returns
    how many were told of each: {"expiring": n, "expired": n}."""
    now = now or utcnow()
    current = Certificate.is_current()
    unreminded = {
        # reminded_at is the last notice: one before the end date is the reminder, one on or
        # after it the "expired" notice.
        "expiring": current & expiring_soon(now) & Certificate.reminded_at.is_(None),
        "expired": current & (Certificate.expires_at <= now)
        & (Certificate.reminded_at.is_(None) | (Certificate.reminded_at < Certificate.expires_at)),
    }
    done = dict.fromkeys(unreminded, 0)
    for state, condition in unreminded.items():
        ids = db.session.scalars(select(Certificate.id).join(User, User.id == Certificate.user_id)
                                 .where(condition, User.active.is_(True)).order_by(Certificate.expires_at)).all()
        for certificate_id in ids:
            won = db.session.execute(update(Certificate).where(Certificate.id == certificate_id, condition)
                                     .values(reminded_at=now).execution_options(synchronize_session=False)).rowcount
            if won != 1:  # another run took it
                db.session.rollback()
                continue
            _tell(catalog, db.session.get(Certificate, certificate_id), state, now)
            db.session.commit()
            done[state] += 1
    return done


def _tell(catalog, certificate, state, now):
    holder = db.session.get(User, certificate.user_id)
    module = catalog.modules.get(certificate.subject_id) if certificate.kind == MODULE else None
    target = find_target(catalog, f"quiz:{module.certificate.renew_with}") if module and module.certificate else None
    if target is not None:
        assign_by_system(holder, target, max(certificate.expires_at.date(), now.date()), now)
    params = {"title": certificate.title, "date": certificate.expires_at.date().isoformat(),
              "renew_with": target.key if target else None}
    notify([holder.id], f"certificate_{state}", params, "lms.credentials.mine", now=now)
    coaches = db.session.scalars(select(TeamCoach.user_id).where(TeamCoach.team_id == holder.team_id)).all()
    notify(coaches, f"certificate_{state}", {**params, "agent": holder.display_name}, "lms.coaching.person",
           {"user_id": holder.id}, now)


def display_status(certificate, now):
    """What the lists show: revoked | renewed | expired | expiring (valid, ending within the
    reminder window) | valid."""
    status = certificate.status_at(now)
    return "expiring" if status == "valid" and is_renewable(certificate, now) else status
