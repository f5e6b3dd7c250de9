"""CSV export of any gap report: one row per agent x topic x dimension, with the settings
and time it was computed with, so a spreadsheet can be checked against the page."""

import csv
import io

from ..catalog import DIMENSIONS, TOPICS

COLUMNS = ["report", "team_id", "agent_id", "agent", "topic", "dimension", "score", "status", "evidence",
           "previous_score", "threshold", "half_life_days", "min_evidence", "computed_at"]


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(report, kind, pulse_rows=()):
    """The report's cells, then the support pulse's rows: per team (or the teams together) and
    topic, the score only where at least 5 agents answered (never an agent's row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    settings = report.settings
    for agent in report.agents:
        for topic in TOPICS:
            for dimension in DIMENSIONS:
                cell = agent.grid.cell(topic, dimension)
                writer.writerow([safe_cell(v) for v in (
                    kind, agent.team_id or "", agent.id, agent.name, topic, dimension,
                    "" if cell.score is None else f"{cell.score:.4f}", cell.status, cell.count,
                    "" if cell.previous is None else f"{cell.previous:.4f}", settings.threshold,
                    settings.half_life_days, settings.min_evidence, report.computed_at.isoformat(timespec="seconds"))])
    for team_id, label, (latest, previous) in pulse_rows:
        for topic in TOPICS:
            score, before = latest.score(topic), previous.score(topic)
            writer.writerow([safe_cell(v) for v in (
                "pulse", team_id or "", "", label, topic, "support", "" if score is None else f"{score:.4f}",
                latest.status(topic, settings) if latest.enough else "not_enough_answers",
                latest.respondents, "" if before is None else f"{before:.4f}", settings.threshold,
                settings.half_life_days, settings.min_evidence, report.computed_at.isoformat(timespec="seconds"))])
    return out.getvalue()
