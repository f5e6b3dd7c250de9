"""The culture pulse as managers see it: per team, for the site's coaches and for the site as a
whole, for the last ended period and the one before (the trend). A group below MIN_RESPONDENTS
shows nothing and adds nothing to the whole, and a lens shows only when at least
MIN_RESPONDENTS people rated one of its statements (a statement may be left out). Two
aggregate statements whatever the site's size (bench/culture.py)."""

from datetime import timedelta

from sqlalchemy import Float, case, cast, func, select

from ..catalog import TOPICS
from ..catalog.schema import LENSES
from ..gaps.scoring import GAP
from .answering import period_start
from .models import CultureReceipt, CultureTally
from .results import MIN_RESPONDENTS, PulseReport, PulseResult, combined

#: Which topic of the gap report each lens is read beside: its support cells (what leaders do).
BESIDE = "support"


def culture_report(session, site_id, today, period_days):
    """The culture pulse of ``site_id`` as a PulseReport whose groups are team ids (None: the
    site's coaches) and whose "topics" are lenses."""
    latest = period_start(today, period_days) - timedelta(days=period_days)
    periods = (latest, latest - timedelta(days=period_days))
    by_period = {start: {} for start in periods}

    def result(start, team_id):
        return by_period[start].setdefault(team_id, PulseResult(start))

    for team_id, start, respondents in session.execute(_respondents(site_id, periods)):
        result(start, team_id).respondents = respondents
    for team_id, start, lens, score, answers, most in session.execute(_lens_means(site_id, periods)):
        if most >= MIN_RESPONDENTS:  # PostgreSQL sums integers as numeric: plain numbers here
            result(start, team_id).topics[lens] = (float(score), int(answers))
    groups = set(by_period[periods[0]]) | set(by_period[periods[1]])
    teams = {team_id: (result(periods[0], team_id), result(periods[1], team_id)) for team_id in groups}
    whole = tuple(combined(start, by_period[start].values(), LENSES) for start in periods)
    return PulseReport(period_days, teams, whole)


def _respondents(site_id, periods):
    return (select(CultureReceipt.team_id, CultureReceipt.period_start, func.count())
            .where(CultureReceipt.site_id == site_id, CultureReceipt.period_start.in_(periods))
            .group_by(CultureReceipt.team_id, CultureReceipt.period_start))


def _lens_means(site_id, periods):
    """Per group, period and lens: the mean value (GAP_MODEL.md, (v - 1) / 4 or reversed
    (5 - v) / 4), the answers behind it and the most answers any one of its statements had —
    the fewest people who can be behind the mean."""
    tally = CultureTally
    value = case((tally.reversed, 5 - tally.answer), else_=tally.answer - 1)
    # Grouped in the order of the table's unique index (a statement has one lens): no sort.
    per_item = (select(tally.team_id, tally.period_start, func.min(tally.lens).label("lens"),
                       func.sum(value * tally.count).label("points"), func.sum(tally.count).label("answers"))
                .where(tally.site_id == site_id, tally.period_start.in_(periods), tally.count > 0)
                .group_by(tally.team_id, tally.period_start, tally.item_id).subquery())
    answers = func.sum(per_item.c.answers)
    return (select(per_item.c.team_id, per_item.c.period_start, per_item.c.lens,
                   cast(func.sum(per_item.c.points), Float) / (4 * answers), answers, func.max(per_item.c.answers))
            .group_by(per_item.c.team_id, per_item.c.period_start, per_item.c.lens))


def support_gap_shares(gap_report):
    """The gap report beside the pulse: per team id, and for the site under "site", the share of
    its agents with a support gap in at least one topic."""
    flagged, totals = {}, {}
    for agent in gap_report.agents:
        gap = any(agent.grid.cell(topic, BESIDE).status == GAP for topic in TOPICS)
        for key in (agent.team_id, "site"):
            totals[key] = totals.get(key, 0) + 1
            flagged[key] = flagged.get(key, 0) + gap
    return {key: flagged[key] / totals[key] for key in totals}


def report_rows(report, teams, coaches_label, whole_label):
    """(group id, label, (latest, previous)) for every team of the site by name (those nobody
    answered for too), then the site's coaches, then the site as a whole."""
    empty = (PulseResult(report.whole[0].period_start), PulseResult(report.whole[1].period_start))
    rows = [(team_id, name, report.teams.get(team_id, empty)) for team_id, name in sorted(teams.items(),
                                                                                         key=lambda t: t[1])]
    return rows + [(None, coaches_label, report.teams.get(None, empty)), ("site", whole_label, report.whole)]
