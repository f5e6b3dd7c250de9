"""Self-reviews of real calls: the agent's, then their coach's, each in one transaction.

Who sees what: the agent their own; the coaches of the agent's team (and admins) the calls
waiting for them, scored without the agent's scores in view; both the calibration after."""

from sqlalchemy import select, update

from .. import db, evidence
from ..accounts.models import User
from ..accounts.permissions import can_review, coached_team_ids, is_admin, is_agent
from ..db import utcnow
from ..roleplays.engine import scores_valid
from .calibration import evidence_items
from .models import CHANNELS, CallReview

#: The most a pasted transcript (or the notes) may hold: a long chat, not a day's log.
TRANSCRIPT_MAX = 8000
REFERENCE_MAX = 60
REFLECTION_MAX = 2000


class Refused(ValueError):
    """Why a self-review or a coach's scores were not saved (the view words it)."""


class NotFound(LookupError):
    """No such self-review for this person: another's looks exactly like a missing one."""


def can_self_review(user):
    """Agents of a team review their own calls: their team's coach scores them after."""
    return is_agent(user) and user.team_id is not None


def rubric_of(roleplay):
    """A role-play's rubric as a review keeps it."""
    return [{"id": c.id, "dimension": c.dimension, "name": dict(c.name)} for c in roleplay.criteria]


def submit(agent, roleplay, reference, call_on, channel, transcript, scores, differently, now=None):
    """Store an agent's self-review of a real call; nothing of it is evidence yet."""
    now = now or utcnow()
    if not can_self_review(agent):
        raise Refused("not an agent of a team")
    if not scores_valid([c.id for c in roleplay.criteria], scores):
        raise Refused("scores")
    if call_on > now.date():
        raise Refused("future")
    if channel not in CHANNELS or not reference.strip() or not transcript.strip() or not differently.strip():
        raise Refused("missing")
    if len(reference) > REFERENCE_MAX or len(transcript) > TRANSCRIPT_MAX or len(differently) > REFLECTION_MAX:
        raise Refused("too long")
    review = CallReview(user_id=agent.id, roleplay_id=roleplay.id, topic=roleplay.topic, version=roleplay.version,
                        criteria=rubric_of(roleplay), reference=reference.strip(), call_on=call_on, channel=channel,
                        transcript=transcript.strip(), self_scores=scores, differently=differently.strip(),
                        created_at=now)
    db.session.add(review)
    db.session.commit()
    return review


def reviews_of(agent_id):
    """An agent's self-reviews, newest call first."""
    return db.session.scalars(select(CallReview).where(CallReview.user_id == agent_id)
                              .order_by(CallReview.call_on.desc(), CallReview.id.desc())).all()


def waiting_for(coach):
    """Self-reviews waiting for this coach's scores, oldest first: (review, agent)."""
    query = (select(CallReview, User).join(User, CallReview.user_id == User.id)
             .where(CallReview.calibrated_at.is_(None)).order_by(CallReview.created_at, CallReview.id))
    if not is_admin(coach):
        query = query.where(User.team_id.in_(coached_team_ids(coach) or {-1}))
    return db.session.execute(query).all()


def visible(viewer, review_id):
    """(review, agent) when ``viewer`` is its agent or may score it; else :class:`NotFound`."""
    review = db.session.get(CallReview, review_id)
    agent = review and db.session.get(User, review.user_id)
    if agent is None or not (viewer.id == agent.id or can_review(viewer, agent)):
        raise NotFound(review_id)
    return review, agent


def score(coach, review, agent, scores, comment, now=None):
    """The coach's scores of the call: the review is calibrated, and both views become evidence
    (calibration.py says how), in one transaction. A second coach's scores are refused."""
    now = now or utcnow()
    criteria = review.criteria
    if not can_review(coach, agent) or coach.id == agent.id:
        raise Refused("not your agent")
    if not scores_valid([c["id"] for c in criteria], scores):
        raise Refused("scores")
    scored = db.session.execute(
        update(CallReview).where(CallReview.id == review.id, CallReview.calibrated_at.is_(None))
        .values(coach_id=coach.id, coach_scores=scores, coach_comment=comment.strip(), calibrated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if scored != 1:
        db.session.rollback()
        raise Refused("already scored")
    for item in evidence_items(criteria, review.self_scores, scores):
        evidence.record(agent.id, f"{review.roleplay_id}:call:{item.item_suffix}", review.topic, item.dimension,
                        item.value, item.source, review.id, review.version, now)
    db.session.commit()
    db.session.refresh(review)

