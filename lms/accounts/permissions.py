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
