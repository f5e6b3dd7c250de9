"""Role-play pages: the list, the player, the debrief, and the coaches' review queue."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import db
from ..accounts.identity import require_user
from ..accounts.permissions import can_review, can_review_replies
from ..accounts.models import User
from ..content import current_catalog
from ..features import ask
from ..i18n import _, isolate, localize_digits
from ..params import whole_number
from . import services
from .engine import (
    REVIEW_MAX,
    InvalidStep,
    Reply,
    choice_at,
    criterion_scores,
    debrief,
    persona_score,
    rubric_scores,
)
from .models import OPEN, RoleplayRun, RoleplayStep

#: The reply radio that stands for "I write my own" (listed replies are posted by position).
WRITE_OWN = "write"


def _roleplay(roleplay_id):
    roleplay = current_catalog().roleplays.get(roleplay_id)
    if roleplay is None:
        abort(404, _("There is no such role-play."))
    return roleplay


@require_user
def index(user):
    runs = db.session.execute(
        select(RoleplayRun.roleplay_id, RoleplayRun.outcome).where(RoleplayRun.user_id == user.id,
                                                                   RoleplayRun.status != OPEN)).all()
    outcomes = {}
    for roleplay_id, outcome in runs:
        outcomes.setdefault(roleplay_id, set()).add(outcome)
    by_topic = {}
    for roleplay in sorted(current_catalog().roleplays.values(), key=lambda r: r.id):
        by_topic.setdefault(roleplay.topic, []).append(roleplay)
    return render_template("lms/roleplays/index.html", by_topic=by_topic, outcomes=outcomes,
                           modules={topic: current_catalog().topic_module(topic) for topic in by_topic})


@require_user
def intro(user, roleplay_id):
    roleplay = _roleplay(roleplay_id)
    runs = db.session.scalars(select(RoleplayRun).where(RoleplayRun.user_id == user.id,
                                                        RoleplayRun.roleplay_id == roleplay.id)
                              .order_by(RoleplayRun.started_at.desc())).all()
    return render_template("lms/roleplays/intro.html", roleplay=roleplay, runs=runs,
                           open_run=next((r for r in runs if r.status == OPEN), None))


@require_user
def start(user, roleplay_id):
    run = services.start_or_resume(user.id, _roleplay(roleplay_id))
    return redirect(url_for("lms.roleplays.run", roleplay_id=roleplay_id, run_id=run.id), 303)


def _own_run(user, roleplay, run_id):
    try:
        return services.get_run(user.id, roleplay.id, run_id)
    except services.RunNotFound:
        abort(404, _("There is no such run."))


@require_user
def run(user, roleplay_id, run_id):
    """The conversation while the run is open; its debrief once it has ended."""
    roleplay = _roleplay(roleplay_id)
    run = _own_run(user, roleplay, run_id)
    if run.status == OPEN:
        return _player(roleplay, run)
    return _debrief(user, roleplay, run)


def _player(roleplay, run, error=None, posted=None):
    """The open run's current moment; after a refused reply, with the reason and what was
    posted (the typed text above all) filled back in."""
    return render_template("lms/roleplays/play.html", roleplay=roleplay, run=run, error=error,
                           posted=posted or {}, write_own=WRITE_OWN,
                           node=roleplay.nodes[run.current_node], personas=current_catalog().personas)


def _debrief(user, roleplay, run):
    same_version = run.version == roleplay.version
    reviews = {s.seq: (s.review.scores, s.review.max_points) for s in run.steps if s.review is not None}
    return render_template(
        "lms/roleplays/debrief.html", roleplay=roleplay, run=run, same_version=same_version,
        # While the agent plays this scenario again, no earlier debrief shows its best replies.
        replaying=services.open_run(user.id, roleplay.id) is not None,
        lines=debrief(roleplay, run.steps) if same_version else [],
        scores=criterion_scores(roleplay, run.steps, reviews) if same_version else {},
        persona=persona_score(run.steps), personas_catalog=current_catalog().personas)


@require_user
def reply(user, roleplay_id, run_id):
    roleplay = _roleplay(roleplay_id)
    run = _own_run(user, roleplay, run_id)
    typed = request.form.get("typed", "").strip() or None
    posted = request.form.get("choice") or None
    try:
        seq = whole_number(request.form.get("seq"))
        if seq is None:
            raise ValueError("seq")
        choice = None if posted == WRITE_OWN else _posted_choice(roleplay, run, seq, posted)
        outcome = services.take_step(user.id, roleplay, run_id, seq,
                                     Reply(choice, typed, request.form.get("persona") or None),
                                     current_catalog().personas)
    except ValueError as error:  # InvalidStep, or a seq that is not a number
        reason = str(error.args[0]) if isinstance(error, InvalidStep) else _("this page is out of date")
        message = _("That reply could not be taken (%(reason)s). Nothing was saved.", reason=reason)
        if run.status == OPEN:  # the same moment again, with what was typed kept: never a dead end
            return _player(roleplay, run, message, request.form), 400
        flash(message, "error")
    else:
        if outcome.state == "stale":
            flash(_("That page was out of date; here is where the conversation stands."), "info")
    return redirect(url_for("lms.roleplays.run", roleplay_id=roleplay.id, run_id=run_id), 303)


def _posted_choice(roleplay, run, seq, posted):
    """The choice id behind the position a page posted, read at the node that page showed
    (the step ``seq`` was taken at, for a page posted twice)."""
    if posted is None:
        return None
    node_id = run.steps[seq].node_id if 0 <= seq < len(run.steps) else run.current_node
    choice = choice_at(roleplay.nodes[node_id], run.shuffle_seed, posted)
    if choice is None:
        raise InvalidStep(_("unknown reply"))
    return choice


# -- coach review --------------------------------------------------------------------------

@require_user
def review_queue(user):
    if not can_review_replies(user):
        abort(403, _("Reviews are for coaches."))
    return render_template("lms/roleplays/queue.html", waiting=services.review_queue(user),
                           calls=ask("calls_to_score", user), roleplays=current_catalog().roleplays)


def _step_for_review(user, step_id):
    step = db.session.get(RoleplayStep, step_id)
    run = db.session.get(RoleplayRun, step.run_id) if step else None
    agent = db.session.get(User, run.user_id) if run else None
    if step is None or step.typed_reply is None or not can_review(user, agent):
        abort(404, _("There is no such reply among your agents' replies."))
    return step, run, agent, _roleplay(run.roleplay_id)


@require_user
def review(user, step_id):
    step, run, agent, roleplay = _step_for_review(user, step_id)
    errors = []
    if request.method == "POST":
        try:
            scores = rubric_scores([c.id for c in roleplay.criteria], request.form)
            services.save_review(user, step, roleplay, scores, request.form.get("comment", "")[:2000])
        except ValueError:
            errors.append(_("Give every criterion a score from 0 to %(max)s.", max=localize_digits(REVIEW_MAX)))
        except services.ReviewRefused:
            errors.append(_("This reply has already been reviewed."))
        else:
            flash(_("Review saved. %(name)s will see it with the role-play.", name=isolate(agent.display_name)), "info")
            return redirect(url_for("lms.roleplays.review_queue"), 303)
    return render_template("lms/roleplays/review.html", step=step, run=run, agent=agent, roleplay=roleplay,
                           node=roleplay.nodes.get(step.node_id), errors=errors, review_max=REVIEW_MAX,
                           form=request.form), (400 if errors else 200)
