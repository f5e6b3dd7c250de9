"""CSV export of any gap report: one row per agent x topic x dimension, with the agent's team
and the settings and time it was computed with, so a spreadsheet can be checked against the page."""

from itertools import chain

from sqlalchemy import select

from ..accounts.models import Team, User
from ..catalog import DIMENSIONS, TOPICS
from ..sheets import csv_text

COLUMNS = ["report", "team_id", "team", "agent_id", "agent", "topic", "dimension", "score", "status", "evidence",
           "previous_score", "threshold", "half_life_days", "min_evidence", "computed_at"]


def agent_teams(session, report):
    """{agent id: (team id, team name)} of the report's agents that have a team."""
    ids = [agent.id for agent in report.agents]
    if not ids:
        return {}
    rows = session.execute(select(User.id, Team.id, Team.name).join(Team, Team.id == User.team_id)
                           .where(User.id.in_(ids)))
    return {user_id: (team_id, name) for user_id, team_id, name in rows}


def to_csv(report, kind, pulse_rows=(), teams=None):
    """The report's cells, then the support pulse's rows: per team (or the teams together) and
    topic, the score only where at least 5 agents answered (never an agent's row). ``teams``
    is agent_teams() of the report."""
    return csv_text(COLUMNS, chain(_agent_rows(report, kind, teams or {}), _pulse_rows(report, pulse_rows)))


def _agent_rows(report, kind, teams):
    settings = report.settings
    for agent in report.agents:
        team_id, team_name = teams.get(agent.id, (agent.team_id, ""))
        for topic in TOPICS:
            for dimension in DIMENSIONS:
                cell = agent.grid.cell(topic, dimension)
                yield (kind, team_id or "", team_name, agent.id, agent.name, topic, dimension,
                       "" if cell.score is None else f"{cell.score:.4f}", cell.status, cell.count,
                       "" if cell.previous is None else f"{cell.previous:.4f}", settings.threshold,
                       settings.half_life_days, settings.min_evidence, report.computed_at.isoformat(timespec="seconds"))


def _pulse_rows(report, pulse_rows):
    settings = report.settings
    for team_id, label, (latest, previous) in pulse_rows:
        for topic in TOPICS:
            score, before = latest.score(topic), previous.score(topic)
            yield ("pulse", team_id or "", label if team_id else "", "", label, topic, "support",
                   "" if score is None else f"{score:.4f}",
                   latest.status(topic, settings) if latest.enough else "not_enough_answers",
                   latest.respondents, "" if before is None else f"{before:.4f}", settings.threshold,
                   settings.half_life_days, settings.min_evidence, report.computed_at.isoformat(timespec="seconds"))
