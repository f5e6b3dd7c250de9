"""Gap reports for an agent, a team and a site, assembled from grid_rows() and signal_sums().

Python reads one row per agent x topic x dimension; every sum was made in SQL."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..accounts.models import Team, TeamCoach
from ..catalog import DIMENSIONS, TOPICS
from ..db import utcnow
from ..evidence import epoch_day
from .models import GapSetting
from .queries import grid_rows, signal_sums
from .scoring import (
    NO_SIGNALS,
    NOTHING_RECORDED,
    GapSettings,
    Grid,
    cell_from_parts,
    cell_from_sums,
    mean_score,
    share_with_gap,
)


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
    # A page asks for each cell's share several times (its row, the top gaps): counted once.
    _shares: dict = field(default_factory=dict, repr=False, compare=False)

    def share(self, topic, dimension):
        found = self._shares.get((topic, dimension))
        if found is None:
            found = self._shares[topic, dimension] = share_with_gap([a.grid for a in self.agents], topic, dimension)
        return found

    def support_gaps(self):
        """(agent, the topics they have a support gap in) for each agent with one."""
        return [(agent, topics) for agent in self.agents if (topics := agent.grid.support_gap_topics())]

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


CELL_KEYS = {(topic, dimension): (topic, dimension) for topic in TOPICS for dimension in DIMENSIONS}


def build_agents(rows, signals, settings, now):
    """AgentLines from grid rows and signal sums (see queries.grid_rows and signal_sums)."""
    now_day = epoch_day(now)
    by_cell, contact, signalled, unsettled = {}, {}, {}, {}
    for user_id, topic, dimension, *sums, newest in signals:
        if newest is not None:  # recorded evidence its stored cell has not settled yet
            unsettled[user_id, topic, dimension] = (sums[0], newest, *sums[1:3])
        elif topic is None:
            contact[user_id] = sums
        else:
            by_cell[user_id, topic, dimension] = sums
            signalled.setdefault(user_id, set()).add((topic, dimension))
    unsettled_users = {user_id for user_id, _topic, _dimension in unsettled}
    agents = {}
    for row in rows:
        if row[3] is None:  # an agent
            agents[row[0]] = AgentLine(row[0], row[1], Grid(), row[2])
    for user_id, _name, _team, topic, dimension, _half_life, _settled, n, day, wv, w, bn, bwv, bw, \
            pn, p_day, pwv, pw in rows:
        if topic is None:
            continue
        line = agents[user_id]
        # One (topic, dimension) key object for all agents' cells, and its names for the cells.
        key = CELL_KEYS.get((topic, dimension)) or (topic, dimension)
        topic, dimension = key
        signal, late = NO_SIGNALS, NOTHING_RECORDED
        if user_id in signalled or (dimension == "support" and user_id in contact):
            signal = _signals_of(by_cell, contact, user_id, topic, dimension)
        if user_id in unsettled_users:
            late = unsettled.get((user_id, topic, dimension), NOTHING_RECORDED)
        line.grid.cells[key] = cell_from_parts(
            topic, dimension, (n, day, wv, w), (pn, p_day, pwv, pw), settings, now_day, signal, late)
        if dimension == "belief" and bn:
            line.grid.behaviour_belief[topic] = cell_from_sums(topic, dimension, bwv, bw, bn, settings)
    # Cells that only coaching signals speak to.
    for user_id, line in agents.items():
        keys = set(signalled.get(user_id, ()))
        if user_id in contact:
            keys.update((topic, "support") for topic in TOPICS)
        for topic, dimension in keys - line.grid.cells.keys():
            line.grid.cells[topic, dimension] = cell_from_parts(
                topic, dimension, NOTHING_RECORDED, NOTHING_RECORDED, settings, now_day,
                _signals_of(by_cell, contact, user_id, topic, dimension))
    return sorted(agents.values(), key=lambda line: (line.name, line.id))


def _signals_of(by_cell, contact, user_id, topic, dimension):
    """A cell's signal sums, with the agent's coaching contact added to every support cell."""
    own = by_cell.get((user_id, topic, dimension), NO_SIGNALS)
    if dimension != "support" or user_id not in contact:
        return own
    n, wv, w, rn, rwv, rw = contact[user_id]
    return (own[0] + n, own[1] + wv, own[2] + w, own[3] + rn, own[4] + rwv, own[5] + rw)


@contextmanager
def _collector_paused():
    """A site report makes a great many small objects, none of them in a cycle; the cyclic
    garbage collector would otherwise rescan them all again and again as they pile up."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _report(session, title, settings, now, scope, with_team=False, dimension=None):
    """A report of ``scope``'s agents (queries.SCOPES) as of ``now``, or of the present when None;
    of ``dimension``'s cells alone when one is given (the others then read as unknown)."""
    present = now is None
    now = utcnow() if present else now
    with _collector_paused():
        rows, settled_since = grid_rows(session, now, settings, scope, with_team, present, dimension)
        signals = signal_sums(session, now, settings, scope, settled_since, dimension)
        agents = build_agents(rows, signals, settings, now)
        del rows, signals  # freed at once, rather than left for the collector to scan
    return Report(title, settings, now, agents)


def agent_report(session, user, settings, now=None, title=""):
    return _report(session, title or user.display_name, settings, now, ("agent", user.id))


def team_report(session, team_id, settings, now=None, title=""):
    """The team's active agents."""
    return _report(session, title, settings, now, ("team", team_id))


def site_report(session, site_id, settings, now=None, title="", dimension=None):
    """The site's active agents; only ``dimension``'s cells when one is given (a third of the
    rows to read: the culture report needs support alone)."""
    return _report(session, title, settings, now, ("site", site_id), True, dimension)


def load_team_context(session, team_id, viewer):
    """The team, its site's settings and whether ``viewer`` coaches it — in one statement."""
    coaches = select(TeamCoach.user_id).where(TeamCoach.team_id == Team.id, TeamCoach.user_id == viewer.id)
    row = session.execute(
        select(Team, GapSetting, coaches.exists().label("coached"))
        .outerjoin(GapSetting, GapSetting.site_id == Team.site_id)
        .where(Team.id == team_id)
    ).first()
    return row if row is not None else (None, None, False)

