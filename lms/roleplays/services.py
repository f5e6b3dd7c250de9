"""Playing a role-play and reviewing typed replies: state changes, each in one transaction.

As with quizzes, the database enforces the hard rules: one open run per agent and
scenario, one step per (run, seq), one review per typed reply."""

import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import db
from ..audit import trail
from ..accounts.models import User
from ..accounts.permissions import can_review, coached_team_ids, is_admin
from ..db import utcnow
from .. import events, evidence
from .engine import REVIEW_MAX, InvalidStep, Reply, next_node, scores_valid
from .models import FINISHED, OPEN, ReplyReview, RoleplayRun, RoleplayStep


class RunNotFound(LookupError):
    """No such run for this agent (another agent's run looks exactly the same)."""


@dataclass(frozen=True)
class StepOutcome:
    state: str  # taken | replayed (the same step posted again) | stale (an older page)
    run: RoleplayRun


def open_run(user_id, roleplay_id):
    return db.session.scalar(select(RoleplayRun).where(
        RoleplayRun.user_id == user_id, RoleplayRun.roleplay_id == roleplay_id, RoleplayRun.status == OPEN))


def start_or_resume(user_id, roleplay, now=None):
    """The agent's open run of ``roleplay``, or a new one; two tabs get the same run."""
    run = open_run(user_id, roleplay.id)
    if run is not None and run.version == roleplay.version:
        return run
    if run is not None:  # the scenario was edited since: that run can no longer be played
        run.status, run.finished_at = FINISHED, now or utcnow()
        db.session.commit()
    run = RoleplayRun(user_id=user_id, roleplay_id=roleplay.id, topic=roleplay.topic, version=roleplay.version,
                      status=OPEN, current_node=roleplay.start, started_at=now or utcnow(),
                      shuffle_seed=secrets.randbelow(2**31))
    return db.add_or_get(run, lambda: open_run(user_id, roleplay.id))


def get_run(user_id, roleplay_id, run_id):
    run = db.session.get(RoleplayRun, run_id)
    if run is None or run.user_id != user_id or run.roleplay_id != roleplay_id:
        raise RunNotFound(run_id)
    return run


def take_step(user_id, roleplay, run_id, seq, reply: Reply, personas, now=None):
    """Store the agent's reply at the run's current node and move the conversation on.

    ``seq`` is the number of steps the page was showing: a post from an older page, or the
    same post twice, cannot move the run twice."""
    now = now or utcnow()
    run = get_run(user_id, roleplay.id, run_id)
    if run.status != OPEN or seq != len(run.steps) or run.version != roleplay.version:
        return _judge(run, seq, reply)
    node = roleplay.nodes[run.current_node]
    target = next_node(roleplay, node.id, reply, personas)  # raises InvalidStep
    ending = roleplay.nodes[target]
    moved = db.session.execute(
        update(RoleplayRun).where(RoleplayRun.id == run.id, RoleplayRun.status == OPEN,
                                  RoleplayRun.current_node == node.id)
        .values(current_node=target, status=FINISHED if ending.is_end else OPEN,
                outcome=ending.outcome, finished_at=now if ending.is_end else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        db.session.rollback()
        db.session.refresh(run)
        return _judge(run, seq, reply)
    persona_correct = (reply.persona == node.persona) if node.persona_check else None
    step = RoleplayStep(run_id=run.id, seq=seq, node_id=node.id, choice_id=reply.choice_id,
                        typed_reply=reply.typed, persona_answer=reply.persona,
                        persona_correct=persona_correct, created_at=now)
    db.session.add(step)
    _step_evidence(user_id, roleplay, node, run.id, seq, reply, persona_correct, now)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        db.session.refresh(run)
        return _judge(run, seq, reply)
    db.session.refresh(run)
    if run.status == FINISHED:  # what the end causes is stored with it
        events.happen("roleplay_finished", run=run)
    events.commit()
    return StepOutcome("taken", run)


def _judge(run, seq, reply):
    stored = next((s for s in run.steps if s.seq == seq), None)
    if stored is not None and (stored.choice_id, stored.typed_reply, stored.persona_answer) == (
            reply.choice_id, reply.typed, reply.persona):
        return StepOutcome("replayed", run)
    return StepOutcome("stale", run)


def _step_evidence(user_id, roleplay, node, run_id, seq, reply, persona_correct, now):
    """Chosen replies are evidence at once; typed replies become evidence when reviewed."""
    source_id = f"{run_id}:{seq}"
    if reply.choice_id:
        for criterion_id, value in node.choice(reply.choice_id).scores.items():
            criterion = roleplay.criterion(criterion_id)
            evidence.record(user_id, f"{roleplay.id}:{node.id}:{criterion_id}", roleplay.topic, criterion.dimension,
                            value, "roleplay", source_id, roleplay.version, now)
    if persona_correct is not None:
        # Recognising the persona is a skill of its own: it counts for the personas topic.
        evidence.record(user_id, f"{roleplay.id}:{node.id}:persona", "personas", "knowledge",
                        1.0 if persona_correct else 0.0, "roleplay", source_id, roleplay.version, now)


# -- coach review --------------------------------------------------------------------------

class ReviewRefused(ValueError):
    """A review that cannot be saved: not this coach's agent, or already reviewed."""


def review_queue(coach):
    """Typed replies waiting for this coach, oldest first: (step, run, agent)."""
    query = (select(RoleplayStep, RoleplayRun, User)
             .join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
             .join(User, RoleplayRun.user_id == User.id)
             .outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
             .where(RoleplayStep.typed_reply.is_not(None), ReplyReview.id.is_(None))
             .order_by(RoleplayStep.created_at))
    if not is_admin(coach):
        query = query.where(User.team_id.in_(coached_team_ids(coach) or {-1}))
    return db.session.execute(query).all()


def save_review(coach, step, roleplay, scores, comment, now=None):
    """Record a rubric review and its evidence; ``scores`` maps every criterion to 0-REVIEW_MAX."""
    now = now or utcnow()
    run = db.session.get(RoleplayRun, step.run_id)
    agent = db.session.get(User, run.user_id)
    if not can_review(coach, agent):
        raise ReviewRefused("not your agent")
    if not scores_valid([c.id for c in roleplay.criteria], scores):
        raise InvalidStep(f"score every criterion from 0 to {REVIEW_MAX}")
    review = ReplyReview(step_id=step.id, coach_id=coach.id, scores=scores, max_points=REVIEW_MAX,
                         comment=comment.strip(), reviewed_at=now)
    db.session.add(review)
    trail.record("review.saved", coach, agent, f"reply:{step.id}", after={
        "roleplay": roleplay.id, "scores": scores, "max": REVIEW_MAX, "comment": comment.strip()}, at=now)
    for criterion in roleplay.criteria:
        evidence.record(agent.id, f"{roleplay.id}:{step.node_id}:{criterion.id}", roleplay.topic, criterion.dimension,
                        scores[criterion.id] / REVIEW_MAX, "review", step.id, run.version, now)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ReviewRefused("already reviewed") from None
    events.happen("reply_reviewed", review=review)
    events.commit()
