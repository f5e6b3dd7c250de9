"""The culture report as CSV: one row per group and lens, the score only where the group had at
least 5 respondents and the lens at least 5 answers to one statement — never a person's row."""

from ..catalog.schema import LENSES
from ..sheets import csv_text

COLUMNS = ["group_id", "group", "period_start", "period_end", "respondents", "lens", "score", "answers",
           "previous_score", "trend", "status", "support_gap_share"]


def to_csv(report, rows, gap_shares):
    """``rows`` as culture_report.report_rows() makes them; ``gap_shares`` as support_gap_shares()."""
    start, end = report.period
    return csv_text(COLUMNS, (_row(report, group_id, label, pair, lens, start, end, gap_shares)
                              for group_id, label, pair in rows for lens in LENSES))


def _row(report, group_id, label, pair, lens, start, end, gap_shares):
    latest, previous = pair
    score, before, trend = latest.score(lens), previous.score(lens), report.trend(pair, lens)
    status = "shown" if score is not None else "not_enough_answers"
    share = gap_shares.get(group_id)
    return (group_id if isinstance(group_id, int) else group_id or "coaches", label, start.isoformat(),
            end.isoformat(), latest.respondents, lens, _fraction(score), latest.topics[lens][1] if score is not None else "",
            _fraction(before), _fraction(trend), status, _fraction(share))


def _fraction(value):
    return "" if value is None else f"{value:.4f}"
