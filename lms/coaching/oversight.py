"""Late support actions: what the gap model's support signals count, as lists a coach
can work through and a per-coach summary for managers. Shared predicates keep the two
views and the gap report in agreement."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, func, or_, select

from .. import db
from ..accounts.models import Team, TeamCoach, User
from ..db import later
from ..learning.models import SUBMITTED, QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from .models import Assignment, HelpRequest, OneOnOne


def coach_acted(user_id, start, end):
    """SQL: a coach assigned work to, or held a 1:1 with, the agent between ``start`` and ``end``."""
    return or_(
        exists().where(Assignment.user_id == user_id, Assignment.assigned_by_id.is_not(None),
                       Assignment.created_at > start, Assignment.created_at <= end),
        exists().where(OneOnOne.user_id == user_id, OneOnOne.created_at > start, OneOnOne.created_at <= end),
    )


def failed_attempts():
    """SQL: submitted quiz or refresher attempts that failed."""
    return and_(QuizAttempt.status == SUBMITTED, QuizAttempt.passed.is_(False))


def late_counts(team_ids, now, settings):
    """Per team: typed replies waiting past the review window, questions unanswered past the
    help window, and failed attempts of the last period left without a coach's follow-up."""
    review_late = now - timedelta(days=settings.review_window_days)
    help_late = now - timedelta(days=settings.help_window_days)
    followup = timedelta(days=settings.followup_days)
    since = now - timedelta(days=settings.period_days)
    queries = {
        "reviews": select(User.team_id, func.count())
        .select_from(RoleplayStep).join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
        .join(User, RoleplayRun.user_id == User.id).outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
        .where(RoleplayStep.typed_reply.is_not(None), ReplyReview.id.is_(None), RoleplayStep.created_at < review_late),
        "help": select(User.team_id, func.count()).select_from(HelpRequest).join(User, HelpRequest.user_id == User.id)
        .where(HelpRequest.answered_at.is_(None), HelpRequest.created_at < help_late),
        "followups": select(User.team_id, func.count()).select_from(QuizAttempt)
        .join(User, QuizAttempt.user_id == User.id)
        .where(failed_attempts(), QuizAttempt.closed_at > since, QuizAttempt.closed_at < now - followup,
               ~coach_acted(QuizAttempt.user_id, QuizAttempt.closed_at, later(QuizAttempt.closed_at, followup))),
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
    """Failed attempts of the last period that no coach has acted on since: (attempt, agent),
    oldest first. Those older than the follow-up window are already late."""
    return db.session.execute(
        select(QuizAttempt, User).join(User, QuizAttempt.user_id == User.id)
        .where(QuizAttempt.user_id.in_(agent_ids), failed_attempts(),
               QuizAttempt.closed_at > now - timedelta(days=settings.period_days),
               ~coach_acted(QuizAttempt.user_id, QuizAttempt.closed_at, now))
        .order_by(QuizAttempt.closed_at)).all()
