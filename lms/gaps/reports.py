"""Gap reports for an agent, a team and a site, assembled from grid_rows() results.

Python reads one row per agent x topic x dimension; every sum was made in SQL."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..accounts.models import Team, TeamCoach, User
from ..catalog import DIMENSIONS, TOPICS
from .models import GapSetting
from .queries import grid_rows
from .scoring import GapSettings, Grid, cell_from_sums, mean_score, share_with_gap


def settings_from_row(row):
    """GapSettings from a site's GapSetting row, or the defaults when it has none."""
    if row is None:
        return GapSettings()
    defaults = GapSettings()
    return GapSettings(threshold=row.threshold, half_life_days=row.half_life_days, min_evidence=row.min_evidence,
                       review_window_days=row.review_window_days,
                       followup_days=row.followup_days or defaults.followup_days,
                       help_window_days=row.help_window_days or defaults.help_window_days)


def site_settings(session, site_id):
    """The settings a site's reports use."""
    return settings_from_row(session.get(GapSetting, site_id) if site_id else None)


@dataclass
class AgentLine:
    id: int
    name: str
    grid: Grid
    team_id: int | None = None


@dataclass
class Report:
    """What every report shows: who, what, and the settings and time it was computed with."""

    title: str
    settings: GapSettings
    computed_at: datetime
    agents: list = field(default_factory=list)  # AgentLine

    def share(self, topic, dimension):
        return share_with_gap([a.grid for a in self.agents], topic, dimension)

    def top_gaps(self, limit=5):
        """The cells with the most agents in a gap, most first."""
        ranked = [((t, d), self.share(t, d)) for t in TOPICS for d in DIMENSIONS]
        return [(key, share) for key, share in sorted(ranked, key=lambda x: -x[1]) if share > 0][:limit]

    def mean(self, topic, dimension, previous=False):
        """The agents' mean score now, or one period ago."""
        cells = [a.grid.cell(topic, dimension) for a in self.agents]
        if previous:
            known = [c.previous for c in cells if c.previous is not None]
            return sum(known) / len(known) if known else None
        return mean_score(cells)

    def teams(self):
        """Agents grouped by team id, in order of first appearance."""
        grouped = {}
        for agent in self.agents:
            grouped.setdefault(agent.team_id, []).append(agent)
        return grouped


def build_agents(rows, settings, with_team=False):
    """AgentLines from grid rows (see queries.grid_rows for the column order)."""
    agents = {}
    for row in rows:
        user_id, name = row[0], row[1]
        team_id = row[2] if with_team else None
        rest = row[3:] if with_team else row[2:]
        topic, dimension, swv, sw, n, pswv, psw, pn, bswv, bsw, bn = rest
        line = agents.setdefault(user_id, AgentLine(user_id, name, Grid(), team_id))
        if topic is None:
            continue  # an agent with no evidence at all
        previous = pswv / psw if pn and psw else None
        line.grid.cells[topic, dimension] = cell_from_sums(topic, dimension, swv, sw, n, settings, previous)
        if dimension == "belief" and bn:
            line.grid.behaviour_belief[topic] = cell_from_sums(topic, dimension, bswv, bsw, bn, settings)
    return list(agents.values())


def agent_report(session, user, settings, now, title=""):
    rows = grid_rows(session, now, settings, [user.id])
    return Report(title or user.display_name, settings, now, build_agents(rows, settings))


def team_report(session, team_id, settings, now, title=""):
    agents = select(User.id).where(User.team_id == team_id, User.role == "agent")
    rows = grid_rows(session, now, settings, agents)
    return Report(title, settings, now, build_agents(rows, settings))


def site_report(session, site_id, settings, now, title=""):
    agents = select(User.id).where(User.site_id == site_id, User.role == "agent")
    rows = grid_rows(session, now, settings, agents, extra_columns=(User.team_id,))
    return Report(title, settings, now, build_agents(rows, settings, with_team=True))


def load_team_context(session, team_id, viewer):
    """The team, its site's settings and whether ``viewer`` coaches it — in one statement."""
    coaches = select(TeamCoach.user_id).where(TeamCoach.team_id == Team.id, TeamCoach.user_id == viewer.id)
    row = session.execute(
        select(Team, GapSetting, coaches.exists().label("coached"))
        .outerjoin(GapSetting, GapSetting.site_id == Team.site_id)
        .where(Team.id == team_id)
    ).first()
    return row if row is not None else (None, None, False)

