"""Late support actions: what the gap model's support signals count, as lists a coach
can work through and a per-coach summary for managers. The predicates here are the one
definition of a follow-up that the coach's dashboard, the late-coaches page and the support
cells of the gap report all read (GAP_MODEL.md, "failed quiz or refresher")."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, null, or_, select
from sqlalchemy.orm import aliased

from .. import db
from ..accounts.models import Team, TeamCoach, User
from ..db import later
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


def awaiting_followup(now, settings):
    """SQL: failed attempts of the last period still open for follow-up: no coach action on
    their topic and no later pass, by ``now``."""
    return and_(failed_attempts(), QuizAttempt.closed_at > now - timedelta(days=settings.period_days),
                QuizAttempt.closed_at <= now, ~followed_up(now), ~passed_later(now))


def late_followup(now, settings):
    """SQL: those awaiting follow-up whose window has passed — the late ones, on the coach's
    dashboard and the managers' late-coaches page alike."""
    return and_(awaiting_followup(now, settings),
                QuizAttempt.closed_at < now - timedelta(days=settings.followup_days))


def late_counts(team_ids, now, settings):
    """Per team: typed replies waiting past the review window, questions unanswered past the
    help window, and failed attempts of the last period left without a coach's follow-up."""
    review_late = now - timedelta(days=settings.review_window_days)
    help_late = now - timedelta(days=settings.help_window_days)
    queries = {
        "reviews": select(User.team_id, func.count())
        .select_from(RoleplayStep).join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
        .join(User, RoleplayRun.user_id == User.id).outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
        .where(RoleplayStep.typed_reply.is_not(None), ReplyReview.id.is_(None), RoleplayStep.created_at < review_late),
        "help": select(User.team_id, func.count()).select_from(HelpRequest).join(User, HelpRequest.user_id == User.id)
        .where(HelpRequest.answered_at.is_(None), HelpRequest.created_at < help_late),
        "followups": select(User.team_id, func.count()).select_from(QuizAttempt)
        .join(User, QuizAttempt.user_id == User.id).where(late_followup(now, settings)),
    }
    counts = {team_id: dict.fromkeys(queries, 0) for team_id in team_ids}
    for name, query in queries.items():
        for team_id, n in db.session.execute(query.where(User.team_id.in_(team_ids)).group_by(User.team_id)):
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


def failures_awaiting_followup(agent_ids, now, settings):
    """Failed attempts of the last period awaiting follow-up: (attempt, agent, late), oldest
    first; ``late`` when the window has passed (what the late-coaches page counts)."""
    return db.session.execute(
        select(QuizAttempt, User, QuizAttempt.closed_at < now - timedelta(days=settings.followup_days))
        .join(User, QuizAttempt.user_id == User.id)
        .where(QuizAttempt.user_id.in_(agent_ids), awaiting_followup(now, settings))
        .order_by(QuizAttempt.closed_at)).all()
