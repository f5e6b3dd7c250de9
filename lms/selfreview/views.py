"""Self-review pages: the agent's list and form, one call's page (the coach scores it there,
then both see the calibration)."""

from flask import abort, flash, redirect, render_template, request, url_for

from ..accounts.identity import require_user
from ..content import current_catalog
from ..db import utcnow
from ..i18n import _, format_day, isolate, localize_digits
from ..roleplays.engine import REVIEW_MAX, InvalidStep, rubric_scores
from . import calibration, services
from .forms import SelfReviewForm


def _agents_only(user):
    if not services.can_self_review(user):
        abort(403, _("Self-reviews of real calls are for agents of a team: their coach scores the same call."))


def _level_words():
    """What each level of the rubric (0 to REVIEW_MAX) means when a real call has no scenario's anchors."""
    return [_("not done"), _("partly done"), _("done well")]


def _rubric_error():
    return _("Give every criterion a score from 0 to %(max)s.", max=localize_digits(REVIEW_MAX))


@require_user
def mine(user):
    _agents_only(user)
    return render_template("lms/selfreview/mine.html", reviews=services.reviews_of(user.id),
                           roleplays=current_catalog().roleplays)


@require_user
def new(user):
    """First the rubric (the role-play closest to the call), then the call and its scores."""
    _agents_only(user)
    roleplay = current_catalog().roleplays.get(request.values.get("rubric", ""))
    if roleplay is None:
        return render_template("lms/selfreview/choose.html", by_topic=_roleplays_by_topic())
    form, errors, today = SelfReviewForm(), [], utcnow().date()
    if request.method == "GET":
        form.call_on.data = today
    else:
        valid = form.validate()
        if valid and form.call_on.data > today:
            form.call_on.errors.append(_("The call on %(date)s has not happened yet.",
                                         date=format_day(form.call_on.data)))
            valid = False
        try:
            scores = rubric_scores([c.id for c in roleplay.criteria], request.form)
        except InvalidStep:
            errors.append(_rubric_error())
        if valid and not errors:
            review = services.submit(user, roleplay, form.reference.data, form.call_on.data, form.channel.data,
                                     form.transcript.data, scores, form.differently.data)
            flash(_("Your self-review is saved. Your coach will score the same call without seeing your scores; "
                    "then you both see where you differ."), "info")
            return redirect(url_for("lms.selfreview.show", review_id=review.id), 303)
    return render_template("lms/selfreview/new.html", form=form, roleplay=roleplay, errors=errors,
                           review_max=REVIEW_MAX, level_words=_level_words()), (400 if errors or form.errors else 200)


def _roleplays_by_topic():
    by_topic = {}
    for roleplay in sorted(current_catalog().roleplays.values(), key=lambda r: r.id):
        by_topic.setdefault(roleplay.topic, []).append(roleplay)
    return by_topic


def _visible(user, review_id):
    try:
        return services.visible(user, review_id)
    except services.NotFound:
        abort(404, _("There is no such self-review among the ones you can open."))


@require_user
def show(user, review_id):
    review, agent = _visible(user, review_id)
    return _page(user, review, agent)


def _page(user, review, agent, errors=(), status=200):
    """The call; to its coach before scoring, the rubric without the agent's scores (so they do
    not anchor the coach's); once calibrated, the agent's and the coach's scores side by side."""
    table = calibration.lines(review.criteria, review.self_scores, review.coach_scores) if review.calibrated else []
    return render_template("lms/selfreview/show.html", review=review, agent=agent, owner=user.id == agent.id,
                           table=table, widest=calibration.widest(table), errors=errors, form=request.form,
                           review_max=REVIEW_MAX, level_words=_level_words(),
                           roleplay=current_catalog().roleplays.get(review.roleplay_id)), status


@require_user
def score(user, review_id):
    review, agent = _visible(user, review_id)
    if user.id == agent.id:
        abort(404, _("There is no such self-review among the ones you can open."))
    if not review.calibrated:
        try:
            scores = rubric_scores([c["id"] for c in review.criteria], request.form)
        except InvalidStep:
            return _page(user, review, agent, [_rubric_error()], 400)
        try:
            services.score(user, review, agent, scores, request.form.get("comment", "")[:2000])
        except services.Refused:
            pass  # another coach (or tab) scored it first: the page shows theirs
        else:
            flash(_("Your scores are saved. Here is where you and %(name)s differ.", name=isolate(agent.display_name)),
                  "info")
    return redirect(url_for("lms.selfreview.show", review_id=review.id), 303)
