"""Assignment and Grade Services: each score of an LTI-launched activity goes back to the
platform's gradebook through the outbox (retried while the platform is down, sent once: the
key is the attempt's, and the AGS timestamp is fixed when the score is queued)."""

from flask import current_app
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from sqlalchemy import select

from .. import db
from ..db import utcnow
from ..outbox import enqueue, sender
from . import lineitems
from .lineitems import SCORE_SCOPE
from .models import LtiPlatform, LtiScoreRoute
from .toolconf import Connector, registration_for

CHANNEL = "lti_score"
#: A role-play scores by its ending: the customer's problem resolved, handed on, or lost.
ENDING_SCORES = {"resolved": 1.0, "escalated": 0.5, "lost": 0.0}


def queue_score(user_id, activity, key, given, maximum, comment=None):
    """Queue the score for every line item this person launched ``activity`` from, in the
    caller's transaction (the outbox sends it once that commits)."""
    routes = db.session.scalars(select(LtiScoreRoute).where(LtiScoreRoute.user_id == user_id,
                                                            LtiScoreRoute.activity == activity)).all()
    if not routes:
        return
    timestamp = utcnow().isoformat(timespec="milliseconds") + "+00:00"
    for route in routes:
        enqueue(CHANNEL, f"{key}:route-{route.id}", {
            "route_id": route.id, "score_given": given, "score_maximum": maximum, "timestamp": timestamp,
            "comment": comment})


def _after_quiz(catalog, attempt, grading):
    if attempt.points is not None and attempt.max_points:
        queue_score(attempt.user_id, f"quiz:{attempt.quiz_id}", f"quiz-attempt-{attempt.id}",
                    attempt.points, attempt.max_points)


def _after_module(catalog, user_id, module_id):
    queue_score(user_id, f"module:{module_id}", f"module-{user_id}-{module_id}", 1, 1)


def _after_roleplay(catalog, run):
    score = ENDING_SCORES.get(run.outcome)
    if score is not None:
        queue_score(run.user_id, f"roleplay:{run.roleplay_id}", f"roleplay-run-{run.id}", score, 1,
                    comment=run.outcome)


CONSEQUENCES = {"quiz_submitted": (_after_quiz,), "module_completed": (_after_module,),
                "roleplay_finished": (_after_roleplay,)}


@sender(CHANNEL)
def send_score(payload):
    """POST one score to its line item (found or made first, for a link launched with only the
    line items container) with an access token signed by the tool's key. Any failure raises,
    and the outbox tries again later."""
    route = db.session.get(LtiScoreRoute, payload["route_id"])
    if route is None:  # the person or the platform was removed since: nothing to send to
        current_app.logger.warning("LTI score for a removed route %s dropped", payload["route_id"])
        return
    connector = Connector(registration_for(db.session.get(LtiPlatform, route.platform_id)))
    lineitem = route.lineitem_url or lineitems.resolve(route, connector)
    service = AssignmentsGradesService(connector, {"scope": [SCORE_SCOPE], "lineitem": lineitem})
    grade = (Grade().set_user_id(route.sub).set_score_given(payload["score_given"])
             .set_score_maximum(payload["score_maximum"]).set_timestamp(payload["timestamp"])
             .set_activity_progress("Completed").set_grading_progress("FullyGraded"))
    if payload.get("comment"):
        grade.set_comment(payload["comment"])
    service.put_grade(grade)
