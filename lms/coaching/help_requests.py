"""Help requests: an agent asks about a lesson or a quiz item; one of their coaches answers."""

from sqlalchemy import select, update

from .. import db
from ..accounts.models import TeamCoach, User
from ..accounts.permissions import can_coach
from ..db import utcnow
from ..i18n import _
from .models import HelpRequest
from .naming import content_of
from .notifications import notify

SUBJECT_KINDS = ("lesson", "item")


class HelpRefused(ValueError):
    """Why a question or an answer was not saved, in the reader's language."""


def subject_of(catalog, kind, ident):
    """The lesson or item asked about, or None if there is no such thing."""
    return content_of(catalog, kind, ident) if kind in SUBJECT_KINDS else None


def ask(agent, catalog, kind, ident, question, now=None):
    now = now or utcnow()
    subject = subject_of(catalog, kind, ident)
    if subject is None:
        raise HelpRefused(_("There is no such lesson or question to ask about."))
    request = HelpRequest(user_id=agent.id, subject_kind=kind, subject_id=ident, topic=subject.topic,
                          question=question.strip(), created_at=now)
    db.session.add(request)
    db.session.flush()
    coaches = db.session.scalars(select(TeamCoach.user_id).where(TeamCoach.team_id == agent.team_id)).all()
    notify(coaches, "help_asked", {"agent": agent.display_name, "kind": kind, "subject": ident},
           "lms.coaching.help_request", {"request_id": request.id}, now)
    db.session.commit()
    return request


def answer(coach, request, text, now=None):
    """Store the answer once: a second answer (another coach, a second tab) is refused."""
    now = now or utcnow()
    agent = db.session.get(User, request.user_id)
    if not can_coach(coach, agent):
        raise HelpRefused(_("This question comes from an agent outside your teams; only their coaches can answer it."))
    won = db.session.execute(
        update(HelpRequest).where(HelpRequest.id == request.id, HelpRequest.answered_at.is_(None))
        .values(answer=text.strip(), answered_by_id=coach.id, answered_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        db.session.rollback()
        raise HelpRefused(_("This question has already been answered."))
    notify([agent.id], "help_answered",
           {"coach": coach.display_name, "kind": request.subject_kind, "subject": request.subject_id},
           "lms.coaching.my_help", {}, now)
    db.session.commit()
    db.session.refresh(request)


def asked_by(user_id):
    return db.session.scalars(select(HelpRequest).where(HelpRequest.user_id == user_id)
                              .order_by(HelpRequest.created_at.desc())).all()


def waiting(agent_ids):
    """Unanswered questions of these agents, oldest first."""
    return db.session.scalars(select(HelpRequest).where(HelpRequest.user_id.in_(agent_ids),
                                                        HelpRequest.answered_at.is_(None))
                              .order_by(HelpRequest.created_at)).all()

