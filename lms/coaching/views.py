"""Coaching pages: the agent's to-do list, spaced re-quizzes and help requests; the coach's
dashboard, assignments, answers and 1:1 log; the manager's view of late support actions;
everyone's notifications. Views read the request and render; the rules live beside them."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import db, features
from ..accounts.identity import require_user
from ..accounts.models import Team, User
from ..accounts.permissions import (
    can_coach, can_manage_site_settings, can_review, can_view_learner, can_view_team, coachable_agents, is_leader,
)
from ..accounts.views import safe_next
from ..catalog import TOPICS
from ..content import current_catalog, topic_title
from ..db import utcnow
from ..i18n import _, content_text, isolate, localize_digits
from ..learning.grading import InvalidSubmission, grade, read_responses
from ..learning.retakes import withheld_items
from ..params import parse_id
from . import assigning, help_requests, notifications, one_on_ones, oversight, spacing, todo
from .forms import GAPS, AnswerForm, AssignForm, HelpForm, OneOnOneForm
from .models import HelpRequest, Notification, PracticeRound
from .naming import subject_title

def _coach_only(user):
    if not is_leader(user):
        abort(403, _("Coaching pages are for coaches, managers and admins."))


def _coached_person(user, user_id):
    person = db.session.get(User, user_id)
    if person is None or not can_coach(user, person):
        abort(404, _("There is no such person among the people you coach."))
    return person


# -- the agent -----------------------------------------------------------------------------

@require_user
def todo_page(user):
    today = utcnow().date()
    practice = spacing.outlook(user.id, today)
    return render_template("lms/coaching/todo.html", todos=todo.todo_for(current_catalog(), user, today, practice=practice),
                           today=today, next_practice=practice.earliest)


def _due_practice(user, today):
    """The due spaced items that can be re-tested now, as (row, drawing.Shown)."""
    return spacing.round_views(current_catalog(), user.id, spacing.due_items(user.id, today),
                               withheld_items(user.id))


@require_user
def practice(user):
    views = _due_practice(user, utcnow().date())
    if request.method == "POST":
        return _answer_practice(user, views)
    return render_template("lms/coaching/practice.html", views=views, next_practice=spacing.next_due(user.id))


def _answer_practice(user, views):
    posted = request.form.getlist("round")
    shown = dict(entry.split(":", 1)[::-1] for entry in posted if ":" in entry)  # row id -> reviews
    if not views or set(shown) != {str(row.id) for row, _view in views}:
        flash(_("This re-quiz was already answered or has changed. Here is the one due now."), "error")
        return redirect(url_for("lms.coaching.practice"), 303)
    try:
        responses = read_responses([view for _row, view in views], request.form)
        rounds = {int(row_id): int(reviews) for row_id, reviews in shown.items()}
        round_ = spacing.answer_round(user.id, {view.item.id: row for row, view in views}, rounds,
                                      grade([view.item for _row, view in views], responses, 1.0))
    except (InvalidSubmission, ValueError):
        abort(400, _("This answer sheet does not match the re-quiz. Nothing was saved; reload it and try again."))
    except spacing.RoundOutOfDate:
        flash(_("This re-quiz was already answered or has changed. Here is the one due now."), "error")
        return redirect(url_for("lms.coaching.practice"), 303)
    return redirect(url_for("lms.coaching.practice_round", round_id=round_.id), 303)


@require_user
def practice_round(user, round_id):
    round_ = db.session.get(PracticeRound, round_id)
    if round_ is None or round_.user_id != user.id:
        abort(404, _("There is no such re-quiz."))
    items = current_catalog().items
    answers = [(items[a["item"]], a) for a in round_.answers if a["item"] in items]
    return render_template("lms/coaching/practice_round.html", round=round_, answers=answers,
                           withheld=withheld_items(user.id),
                           right=sum(1 for _item, a in answers if spacing.is_right(a["value"])),
                           retired=sum(1 for _item, a in answers if a["retired"]), next_practice=spacing.next_due(user.id))


@require_user
def ask(user):
    catalog = current_catalog()
    kind = "lesson" if request.args.get("lesson") else "item"
    ident = request.args.get(kind, "")
    subject = help_requests.subject_of(catalog, kind, ident)
    if subject is None:
        abort(404, _("There is no such lesson or question to ask about."))
    if user.team_id is None:
        abort(403, _("You are not in a team yet, so there is no coach to ask. Ask your manager to add you to one."))
    form = HelpForm()
    if form.validate_on_submit():
        help_requests.ask(user, catalog, kind, ident, form.question.data)
        flash(_("Your question was sent to your coach. Their answer will appear here."), "info")
        return redirect(url_for("lms.coaching.my_help"), 303)
    return render_template("lms/coaching/ask.html", form=form, kind=kind, subject=subject,
                           title=subject_title(catalog, kind, ident)), (400 if form.errors else 200)


@require_user
def my_help(user):
    return render_template("lms/coaching/my_help.html", requests=help_requests.asked_by(user.id))


# -- the coach -----------------------------------------------------------------------------

@require_user
def dashboard(user):
    _coach_only(user)
    now = utcnow()
    agents = coachable_agents(user)
    ids = [a.id for a in agents]
    settings = features.ask("site_settings", db.session, user.site_id)
    return render_template(
        "lms/coaching/dashboard.html", agents=agents, now=now, settings=settings,
        waiting=help_requests.waiting(ids), overdue=assigning.overdue(ids, now.date()),
        failures=oversight.failures_awaiting_followup(ids, now, settings),
        late_counts=oversight.late_counts({a.team_id for a in agents}, now, settings),
        culture_due=features.ask("culture_due", user, current_catalog().culture, now.date()))


def _assign_choices(form, agents):
    teams = sorted({a.team for a in agents}, key=lambda t: t.name)
    form.teams.choices = [(t.id, t.name) for t in teams]
    form.agents.choices = [(a.id, f"{a.display_name} · {a.team.name}") for a in agents]


def _target_groups(catalog):
    """What can be assigned, grouped for the form's <optgroup>s."""
    names = {"module": _("Modules"), "quiz": _("Quizzes"), "refresher": _("Refresher sets"), "roleplay": _("Role-plays")}
    groups = {}
    for target in assigning.targets(catalog):
        groups.setdefault(names[target.group], []).append((target.key, content_text(target.title)))
    return groups


@require_user
def assign(user):
    _coach_only(user)
    catalog = current_catalog()
    agents = coachable_agents(user)
    form = AssignForm()
    _assign_choices(form, agents)
    if request.method == "GET":
        form.target.data = request.args.get("target", "")
        form.agents.data = [n for n in map(parse_id, request.args.getlist("agent")) if n]
        form.teams.data = [n for n in map(parse_id, request.args.getlist("team")) if n]
        form.due_on.data = _default_due(utcnow())
    error = None
    if form.validate_on_submit():
        target = assigning.find_target(catalog, form.target.data)
        chosen = _chosen_people(user, form.agents.data, form.teams.data)
        try:
            if target is None:
                raise assigning.AssignmentRefused(_("There is no such module, quiz or role-play."))
            done = assigning.assign(user, chosen, target, form.due_on.data, form.note.data or "")
        except assigning.AssignmentRefused as refused:
            error = str(refused)
        else:
            title = content_text(target.title)
            flash(_("Assigned “%(title)s” to one person.", title=title) if len(done.made) == 1 else
                  _("Assigned “%(title)s” to %(n)s people.", title=title, n=localize_digits(len(done.made))), "info")
            if done.skipped:
                flash(assigning.skipped_text(done.skipped), "info")
            return redirect(url_for("lms.coaching.dashboard"), 303)
    status = 400 if (form.errors or error) else 200
    return render_template("lms/coaching/assign.html", form=form, error=error, groups=_target_groups(catalog)), status


def _default_due(now):
    return assigning.default_due(now, current_app.config["LMS_ASSIGNMENT_DAYS"])


def _chosen_people(viewer, agent_ids, team_ids):
    """The agents picked one by one plus every active agent of the picked teams, each once.
    People the viewer sees but may not coach are refused by name later; ids of nobody or of
    people beyond the viewer's reach, and teams the viewer cannot see, are a 404 now, the same
    answer for both (naming them would leak who works at other sites)."""
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(agent_ids or [])))
              if can_view_learner(viewer, u)}
    if len(people) != len(set(agent_ids or [])):  # missing, or someone the viewer may not even see
        abort(404, _("There is no such person among the people you coach."))
    for team_id in team_ids or []:
        team = db.session.get(Team, team_id)
        if team is None or not can_view_team(viewer, team):
            abort(404, _("There is no such team."))
        people.update({a.id: a for a in team.agents if a.role == "agent" and a.active})
    return sorted(people.values(), key=lambda u: u.display_name)


@require_user
def accept_remedy(user, user_id):
    """One click on a gap's recommended action: assign it with the default due date."""
    person = _coached_person(user, user_id)
    target = assigning.find_target(current_catalog(), request.form.get("target", ""))
    if target is None:
        abort(404, _("There is no such module, quiz or role-play."))
    now = utcnow()
    # The gap it remedies (the report posts it; a refresher is for knowledge, a role-play for belief).
    dimension = request.form.get("dimension") or assigning.GAP_OF_KIND[target.kind]
    record = features.ask("remedy_taken", user, person, target.topic, dimension)
    try:
        assigning.assign(user, [person], target, _default_due(now), _("Recommended by the gap report."), now,
                         also=record)
    except assigning.AssignmentRefused as refused:
        flash(str(refused), "error")
    else:
        flash(_("Assigned “%(title)s” to %(name)s.", title=content_text(target.title), name=isolate(person.display_name)),
              "info")
    return redirect(safe_next(request.form.get("next"), url_for("lms.coaching.person", user_id=person.id)), 303)


@require_user
def cancel_assignment(user, assignment_id):
    _coach_only(user)
    try:
        withdrawn = assigning.cancel(user, assignment_id)
    except LookupError:
        abort(404, _("There is no such assignment among the people you coach."))
    if not withdrawn:
        abort(409, _("This assignment is already done or withdrawn."))
    flash(_("The assignment is withdrawn."), "info")
    return redirect(safe_next(request.form.get("next"), url_for("lms.coaching.dashboard")), 303)


@require_user
def person(user, user_id):
    _coach_only(user)
    agent = _coached_person(user, user_id)
    form = OneOnOneForm()
    form.topic.choices = [(t, topic_title(t)) for t in TOPICS]
    error = None
    if request.method == "GET":
        form.topic.data = request.args.get("topic") if request.args.get("topic") in TOPICS else TOPICS[0]
        form.gap.data = request.args.get("gap") if request.args.get("gap") in GAPS else ""
        form.held_on.data = utcnow().date()
    elif form.validate_on_submit():
        record = features.ask("remedy_taken", user, agent, form.topic.data, form.gap.data)
        try:
            one_on_ones.log(user, agent, form.topic.data, form.held_on.data, form.discussed.data, form.next_step.data,
                            also=record)
        except one_on_ones.OneOnOneRefused as refused:
            error = str(refused)
        else:
            flash(_("The 1:1 conversation is logged."), "info")
            return redirect(url_for("lms.coaching.person", user_id=agent.id), 303)
    return render_template(
        "lms/coaching/person.html", agent=agent, form=form, error=error, today=utcnow().date(),
        assignments=assigning.history(agent.id), talks=one_on_ones.with_agent(agent.id),
        questions=help_requests.asked_by(agent.id),
        # the agent's self-reviewed calls, for those who score them (the agent's coaches)
        calls=features.ask("self_reviews_of", agent.id) if can_review(user, agent) else ()
    ), (400 if (form.errors or error) else 200)


@require_user
def help_request(user, request_id):
    _coach_only(user)
    question = db.session.get(HelpRequest, request_id)
    agent = question and db.session.get(User, question.user_id)
    if agent is None or not can_view_learner(user, agent):  # "no such" and "not yours" alike
        abort(404, _("There is no such question."))
    if not can_coach(user, agent):
        abort(403, _("This question comes from an agent outside your teams; only their coaches can answer it."))
    form = AnswerForm()
    error = None
    if form.validate_on_submit():
        try:
            help_requests.answer(user, question, form.answer.data)
        except help_requests.HelpRefused as refused:
            error = str(refused)
        else:
            flash(_("Your answer was sent to %(name)s.", name=isolate(agent.display_name)), "info")
            return redirect(url_for("lms.coaching.dashboard"), 303)
    return render_template("lms/coaching/help_request.html", question=question, agent=agent, form=form,
                           error=error, title=subject_title(current_catalog(), question.subject_kind,
                                                            question.subject_id)), (400 if (form.errors or error) else 200)


# -- the manager ---------------------------------------------------------------------------

@require_user
def late_coaches(user):
    if not can_manage_site_settings(user):
        abort(403, _("This page is for managers."))
    now = utcnow()
    settings = features.ask("site_settings", db.session, user.site_id)
    return render_template("lms/coaching/late_coaches.html", settings=settings,
                           lines=oversight.coaches_late(user.site_id, now, settings))


# -- everyone ------------------------------------------------------------------------------

@require_user
def notification_list(user):
    return render_template("lms/coaching/notifications.html", notes=notifications.recent(user.id),
                           text_of=lambda note: notifications.text_of(current_catalog(), note))


@require_user
def open_notification(user, notification_id):
    """Mark the notification read and go where it leads."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        abort(404, _("There is no such notification."))
    notifications.mark_read(user.id, note.id)
    return redirect(notifications.link_of(note), 303)


@require_user
def read_all(user):
    notifications.mark_read(user.id)
    return redirect(url_for("lms.coaching.notifications"), 303)
