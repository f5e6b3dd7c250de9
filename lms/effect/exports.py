"""CSV of the effectiveness page: one row per remedy, with the settings it was computed with."""

from ..sheets import csv_text
from .outcomes import WINDOW_DAYS

COLUMNS = ["remedy_at", "agent_id", "agent", "team_id", "coach_id", "coach", "topic", "cause", "remedy", "target",
           "recorded", "score_before", "score_after", "score_now", "closed_at", "days_to_close",
           f"closed_within_{WINDOW_DAYS}_days", "threshold", "half_life_days", "min_evidence", "computed_at"]


def _number(value, places=4):
    return "" if value is None else f"{value:.{places}f}"


def to_csv(found):
    """The CSV of an Effectiveness (outcomes.Effectiveness)."""
    settings, computed = found.settings, found.computed_at.isoformat(timespec="seconds")
    return csv_text(COLUMNS, (
        (o.at.isoformat(timespec="seconds"), o.agent_id, o.agent, o.team_id or "", o.coach_id or "", o.coach or "",
         o.topic, o.cause, o.kind, o.target or "", "yes" if o.recorded else "inferred", _number(o.before),
         _number(o.after), _number(o.now), o.closed_at.isoformat(timespec="seconds") if o.closed_at else "",
         _number(o.days_to_close, 1), ("yes" if o.closed_within() else "no") if o.decided() else "not_yet",
         settings.threshold, settings.half_life_days, settings.min_evidence, computed)
        for o in found.outcomes))
