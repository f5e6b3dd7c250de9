"""Who may see whom. Checked on the server in every view that shows a person's records."""

from sqlalchemy import select

from .. import db
from .models import Team, TeamCoach, User


def coached_team_ids(user):
    return set(db.session.scalars(select(TeamCoach.team_id).where(TeamCoach.user_id == user.id)))


def visible_teams(viewer):
    """Teams whose people ``viewer`` may follow: a coach's own, a manager's site's, all for admins."""
    query = select(Team).order_by(Team.name)
    if viewer.role == "admin":
        return list(db.session.scalars(query))
    if viewer.role == "manager":
        return list(db.session.scalars(query.where(Team.site_id == viewer.site_id)))
    if viewer.role == "coach":
        return list(db.session.scalars(query.join(TeamCoach).where(TeamCoach.user_id == viewer.id)))
    return []


def can_view_team(viewer, team):
    if viewer.role == "admin":
        return True
    if viewer.role == "manager":
        return team.site_id == viewer.site_id
    if viewer.role == "coach":
        return team.id in coached_team_ids(viewer)
    return False


def can_view_learner(viewer, learner: User):
    """An agent sees only themselves; a coach their teams' agents; a manager their site's."""
    if viewer.id == learner.id or viewer.role == "admin":
        return True
    if viewer.role == "manager":
        return learner.site_id is not None and learner.site_id == viewer.site_id
    if viewer.role == "coach":
        return learner.team_id is not None and learner.team_id in coached_team_ids(viewer)
    return False


def can_coach(viewer, learner: User):
    """Who may assign work to, answer, and log 1:1s with ``learner``: their coaches, their
    site's managers and admins; never the learner themself."""
    return viewer.role in ("coach", "manager", "admin") and viewer.id != learner.id and can_view_learner(viewer, learner)


def coachable_agents(viewer):
    """The agents ``viewer`` may coach, by team then name."""
    query = select(User).join(Team, User.team_id == Team.id).where(User.role == "agent", User.active.is_(True))
    if viewer.role == "coach":
        query = query.join(TeamCoach, TeamCoach.team_id == Team.id).where(TeamCoach.user_id == viewer.id)
    elif viewer.role == "manager":
        query = query.where(Team.site_id == viewer.site_id)
    elif viewer.role != "admin":
        return []
    return list(db.session.scalars(query.order_by(Team.name, User.display_name)))
