"""Late support actions: what the gap model's support signals count, as lists a coach
can work through and a per-coach summary for managers. The predicates here are the one
definition of a follow-up that the coach's dashboard, the late-coaches page and the support
cells of the gap report all read (GAP_MODEL.md, "failed quiz or refresher")."""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import DateTime, and_, bindparam, case, exists, func, null, or_, select
from sqlalchemy.orm import aliased

from .. import db
from ..accounts.models import Team, TeamCoach, User
from ..db import later, param
from ..learning.models import SUBMITTED, QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from .models import Assignment, HelpRequest, OneOnOne


def coach_acted(user_id, start, end, topic=None, now=None):
    """SQL: a coach assigned work to, or held a 1:1 with, the agent after ``start`` and by
    ``end`` (and by ``now``, for a report as of a past day) — on ``topic`` when one is given.
    An assignment withdrawn by then does not count."""
    on_topic = (lambda column: column == topic) if topic is not None else (lambda column: True)
    by_now = (lambda column: column <= now) if now is not None else (lambda column: True)
    return or_(
        exists().where(Assignment.user_id == user_id, Assignment.assigned_by_id.is_not(None),
                       on_topic(Assignment.topic), Assignment.created_at > start, Assignment.created_at <= end,
                       by_now(Assignment.created_at),
                       or_(Assignment.cancelled_at.is_(None), Assignment.cancelled_at > end)),
        exists().where(OneOnOne.user_id == user_id, on_topic(OneOnOne.topic), OneOnOne.created_at > start,
                       OneOnOne.created_at <= end, by_now(OneOnOne.created_at)),
    )


def failed_attempts():
    """SQL: submitted quiz or refresher attempts that failed."""
    return and_(QuizAttempt.status == SUBMITTED, QuizAttempt.passed.is_(False))


# -- following up a failed quiz: the one definition ---------------------------------------

def followed_up(end, now=None):
    """SQL, of a failed QuizAttempt: a coach acted on its topic (an assignment of its module,
    quiz, refresher or role-play, or a 1:1 on that topic) after it and by ``end``."""
    return coach_acted(QuizAttempt.user_id, QuizAttempt.closed_at, end, QuizAttempt.topic, now)


def passed_later(end, now=None):
    """SQL, of a failed QuizAttempt: the agent passed the same quiz after it and by ``end``,
    which closes the follow-up."""
    later_pass = aliased(QuizAttempt)
    return exists().where(later_pass.user_id == QuizAttempt.user_id, later_pass.quiz_id == QuizAttempt.quiz_id,
                          later_pass.status == SUBMITTED, later_pass.passed.is_(True),
                          later_pass.closed_at > QuizAttempt.closed_at, later_pass.closed_at <= end,
                          later_pass.closed_at <= now if now is not None else True)


def followup_value(now, window, window_start):
    """SQL, of a failed QuizAttempt, its support signal as of ``now``: 1 followed up within the
    window; nothing when a pass closed it within the window, or while the window is open;
    0 once the window passed with neither. ``window``: the follow-up window's seconds;
    ``window_start``: now minus the window (both may be bound parameters)."""
    end = later(QuizAttempt.closed_at, window)
    return case((followed_up(end, now), 1.0),
                (or_(passed_later(end, now), QuizAttempt.closed_at >= window_start), null()), else_=0.0)


def awaiting_followup(now, period_start):
    """SQL: failed attempts since ``period_start`` still open for follow-up: no coach action on
    their topic and no later pass, by ``now``."""
    return and_(failed_attempts(), QuizAttempt.closed_at > period_start,
                QuizAttempt.closed_at <= now, ~followed_up(now), ~passed_later(now))


#: The moments the statements below read, as bound parameters; values() gives theirs.
MOMENTS = ("now", "period_start", "review_late", "help_late", "followup_late")


def _moments(now, settings):
    return {"now": now, "period_start": now - timedelta(days=settings.period_days),
            "review_late": now - timedelta(days=settings.review_window_days),
            "help_late": now - timedelta(days=settings.help_window_days),
            "followup_late": now - timedelta(days=settings.followup_days)}


# The statements below are built once, with bound parameters: the follow-up test alone costs
# more to build (an aliased attempt, ORM adaptation) than the database takes to run it.
@lru_cache(maxsize=None)
def _late_count_statements():
    now, period_start, review_late, help_late, followup_late = (param(name, DateTime()) for name in MOMENTS)
    teams = bindparam("team_ids", expanding=True)
    queries = {
        "reviews": select(User.team_id, func.count())
        .select_from(RoleplayStep).join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
        .join(User, RoleplayRun.user_id == User.id).outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
        .where(RoleplayStep.typed_reply.is_not(None), ReplyReview.id.is_(None), RoleplayStep.created_at < review_late),
        "help": select(User.team_id, func.count()).select_from(HelpRequest).join(User, HelpRequest.user_id == User.id)
        .where(HelpRequest.answered_at.is_(None), HelpRequest.created_at < help_late),
        # Those awaiting follow-up whose window has passed: the late ones, on the coach's
        # dashboard and the managers' late-coaches page alike.
        "followups": select(User.team_id, func.count()).select_from(QuizAttempt)
        .join(User, QuizAttempt.user_id == User.id)
        .where(awaiting_followup(now, period_start), QuizAttempt.closed_at < followup_late),
    }
    return {name: query.where(User.team_id.in_(teams)).group_by(User.team_id) for name, query in queries.items()}


def late_counts(team_ids, now, settings):
    """Per team: typed replies waiting past the review window, questions unanswered past the
    help window, and failed attempts of the last period left without a coach's follow-up."""
    values = {**_moments(now, settings), "team_ids": list(team_ids)}
    statements = _late_count_statements()
    counts = {team_id: dict.fromkeys(statements, 0) for team_id in team_ids}
    for name, query in statements.items():
        for team_id, n in db.session.execute(query, values):
            counts[team_id][name] = n
    return counts


@dataclass(frozen=True)
class CoachLateness:
    coach: User
    teams: tuple
    reviews: int
    help: int
    followups: int

    @property
    def total(self):
        return self.reviews + self.help + self.followups


def coaches_late(site_id, now, settings):
    """Every coach of the site's teams with their late support actions, latest first."""
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.site_id == site_id))}
    counts = late_counts(list(teams), now, settings)
    by_coach = {}
    for coach, team_id in db.session.execute(
            select(User, TeamCoach.team_id).join(TeamCoach, TeamCoach.user_id == User.id)
            .where(TeamCoach.team_id.in_(list(teams)))):
        by_coach.setdefault(coach, []).append(team_id)
    lines = [CoachLateness(coach, tuple(teams[t] for t in team_ids),
                           *(sum(counts[t][name] for t in team_ids) for name in ("reviews", "help", "followups")))
             for coach, team_ids in by_coach.items()]
    return sorted(lines, key=lambda line: (-line.total, line.coach.display_name))


@lru_cache(maxsize=None)
def _failures_statement():
    now, period_start, followup_late = (param(name, DateTime()) for name in ("now", "period_start", "followup_late"))
    return (select(QuizAttempt, User, QuizAttempt.closed_at < followup_late)
            .join(User, QuizAttempt.user_id == User.id)
            .where(QuizAttempt.user_id.in_(bindparam("agent_ids", expanding=True)), awaiting_followup(now, period_start))
            .order_by(QuizAttempt.closed_at))


def failures_awaiting_followup(agent_ids, now, settings):
    """Failed attempts of the last period awaiting follow-up: (attempt, agent, late), oldest
    first; ``late`` when the window has passed (what the late-coaches page counts)."""
    moments = _moments(now, settings)
    return db.session.execute(_failures_statement(), {
        "now": now, "period_start": moments["period_start"], "followup_late": moments["followup_late"],
        "agent_ids": list(agent_ids)}).all()
