"""Reading praise back: an agent's, a team's, the count per agent in a month (the report,
its CSV and the monthly sheet) and the count a certificate mentions."""

from sqlalchemy import func, select

from .. import db
from ..accounts.models import Team, User
from .models import Praise


def of_agent(user_id, limit=20):
    """The agent's praise, the latest first."""
    return db.session.scalars(select(Praise).where(Praise.user_id == user_id)
                              .order_by(Praise.received_on.desc(), Praise.id.desc()).limit(limit)).all()


def of_team(team_id, limit=20):
    """The praise of a team's agents, the latest first."""
    return db.session.scalars(select(Praise).join(User, User.id == Praise.user_id).where(User.team_id == team_id)
                              .order_by(Praise.received_on.desc(), Praise.id.desc()).limit(limit)).all()


def per_agent(agents, agent_ids, start, end):
    """For each of ``agents`` (Users; ``agent_ids``: a select of their ids), its praise received
    from ``start`` to before ``end``: [(agent, count, backed by a leader, last day)] in the
    agents' order, in one statement."""
    backed = Praise.by_leader | Praise.acknowledged_at.is_not(None)
    counts = {row.user_id: row for row in db.session.execute(
        select(Praise.user_id, func.count().label("n"), func.count().filter(backed).label("backed"),
               func.max(Praise.received_on).label("last"))
        .where(Praise.user_id.in_(agent_ids), Praise.received_on >= start,
               Praise.received_on < end)
        .group_by(Praise.user_id))}
    return [(agent, *(counts[agent.id][1:] if agent.id in counts else (0, 0, None))) for agent in agents]


def of_site(site_id, start, end):
    """The praise of a site's agents received in [start, end), by team, agent and day, with
    each one's team name: [(praise, team name)]."""
    return db.session.execute(
        select(Praise, Team.name).join(User, User.id == Praise.user_id).outerjoin(Team, Team.id == User.team_id)
        .where(User.site_id == site_id, Praise.received_on >= start, Praise.received_on < end)
        .order_by(Team.name, User.display_name, User.id, Praise.received_on, Praise.id)).all()


def since(user_id, after):
    """(how many, the first day) of the agent's praise received after ``after`` (a datetime;
    None: ever)."""
    query = select(func.count(), func.min(Praise.received_on)).where(Praise.user_id == user_id)
    if after is not None:
        query = query.where(Praise.received_on >= after.date())
    return tuple(db.session.execute(query).one())


def awaiting(agent_ids, limit=50):
    """Colleagues' records of praise of these agents (a select of ids) that no leader has backed
    yet, oldest first."""
    return db.session.scalars(select(Praise).where(
        Praise.user_id.in_(agent_ids), Praise.by_leader.is_(False), Praise.acknowledged_at.is_(None))
        .order_by(Praise.created_at, Praise.id).limit(limit)).all()


def team_names(agents):
    """{team id: name} of the agents' teams, in one statement."""
    ids = {agent.team_id for agent in agents if agent.team_id is not None}
    return dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(ids))).all()) if ids else {}
