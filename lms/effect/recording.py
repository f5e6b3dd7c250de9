"""Recording a remedy as a coach takes it: which gap it is for, and that cell's score as the
gap report shows it at that moment (measured before the remedy is written, which would
otherwise count as coaching contact in a support cell)."""

from .. import db
from ..catalog import DIMENSIONS
from ..coaching.models import Assignment
from ..gaps.reports import agent_report, site_settings
from .models import GapRemedy


def remedy_taken(coach, agent, topic, dimension, now=None):
    """Measure the agent's ``topic`` x ``dimension`` cell now (as of ``now``: the demo's past);
    returns ``record(row)``, which adds the remedy for ``row`` (the Assignment or OneOnOne just
    made) to the caller's transaction. None when ``dimension`` is not a gap dimension (nothing
    is recorded)."""
    if dimension not in DIMENSIONS:
        return None
    settings = site_settings(db.session, agent.site_id)
    cell = agent_report(db.session, agent, settings, now).agents[0].grid.cell(topic, dimension)

    def record(row):
        assigned = isinstance(row, Assignment)
        db.session.flush()  # the row's id
        db.session.add(GapRemedy(
            user_id=agent.id, coach_id=coach.id, topic=topic, dimension=dimension,
            kind="assignment" if assigned else "one_on_one", assignment_id=row.id if assigned else None,
            one_on_one_id=None if assigned else row.id, score_before=cell.score, evidence_before=cell.count,
            status_before=cell.status, created_at=row.created_at))

    return record
