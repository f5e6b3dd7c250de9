"""Coach and manager pages: the teams a person may follow and each agent's progress."""

from flask import abort, render_template
from sqlalchemy import func, select

from .. import db
from ..accounts.identity import require_user
from ..accounts.models import Team, User
from ..accounts.permissions import can_coach, can_view_learner, can_view_team, is_leader, visible_teams
from ..content import current_catalog
from ..i18n import _
from ..learning.models import LessonRead, ModuleCompletion
from ..learning.progress import learner_state, path_progress
from ..recognition import listing as praise


#: The latest customer praise a team's or a person's page shows (the recognition page has the rest).
PRAISE_SHOWN = 10


def _leaders_only(user):
    if not is_leader(user):
        abort(403, _("Team pages are for coaches, managers and admins."))


@require_user
def team_list(user):
    _leaders_only(user)
    teams = visible_teams(user)
    return render_template("lms/teams/list.html", teams=teams, summary=_team_summaries([t.id for t in teams]),
                           module_count=len(current_catalog().modules))


def _team_summaries(team_ids):
    """Per team: active agents, and modules completed by them, in two grouped queries."""
    agents = dict(db.session.execute(
        select(User.team_id, func.count()).where(User.team_id.in_(team_ids), User.role == "agent", User.active.is_(True))
        .group_by(User.team_id)).all())
    completed = dict(db.session.execute(
        select(User.team_id, func.count(ModuleCompletion.id)).join(ModuleCompletion, ModuleCompletion.user_id == User.id)
        .where(User.team_id.in_(team_ids), User.role == "agent", User.active.is_(True))
        .group_by(User.team_id)).all())
    return {team_id: (agents.get(team_id, 0), completed.get(team_id, 0)) for team_id in team_ids}


@require_user
def team(user, team_id):
    _leaders_only(user)
    team = db.session.get(Team, team_id)
    if team is None or not can_view_team(user, team):
        # The same answer for "no such team" and "not yours": which ids exist does not leak.
        abort(404, _("There is no such team."))
    agents = [a for a in team.agents if a.role == "agent" and a.active]
    ids = [a.id for a in agents]
    done = {}
    for user_id, module_id in db.session.execute(
            select(ModuleCompletion.user_id, ModuleCompletion.module_id).where(ModuleCompletion.user_id.in_(ids))):
        done.setdefault(user_id, set()).add(module_id)
    reads = dict(db.session.execute(
        select(LessonRead.user_id, func.count()).where(LessonRead.user_id.in_(ids)).group_by(LessonRead.user_id)).all())
    return render_template("lms/teams/team.html", team=team, agents=agents, done=done, reads=reads,
                           modules=current_catalog().ordered_modules(), praises=praise.of_team(team.id, PRAISE_SHOWN),
                           lesson_total=sum(len(m.lessons) for m in current_catalog().ordered_modules()))


@require_user
def person(user, user_id):
    learner = db.session.get(User, user_id)
    if learner is None or not can_view_learner(user, learner):
        # The same answer for "no such person" and "not yours": nothing leaks.
        abort(404, _("There is no such person among the people you follow."))
    progress = path_progress(current_catalog(), learner_state(learner.id))
    return render_template("lms/teams/person.html", learner=learner, progress=progress,
                           coaching=can_coach(user, learner), praises=praise.of_agent(learner.id, PRAISE_SHOWN))
