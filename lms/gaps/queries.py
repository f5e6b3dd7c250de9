"""Set-based gap computation, on SQLite and PostgreSQL alike: one statement reads the weighted
sums of every agent x topic x dimension of a group of agents (kept by the database as evidence
is written, see folding.py), another computes the coaching signals as of the report's moment.
Python then reads one row per cell, never the evidence itself."""

from datetime import timedelta

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from ..accounts.models import User
from ..catalog import DIMENSIONS, TOPICS
from ..coaching.models import Assignment, HelpRequest, OneOnOne
from ..coaching.oversight import coach_acted, failed_attempts
from ..db import later
from ..learning.models import QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from .folding import EVIDENCE_COLUMNS, SUMS, folded, weight
from .models import Evidence, EvidenceCell, epoch_day

#: How many past 30-day periods the "coaching contact" signal looks at.
CONTACT_PERIODS = 3


def day_number(dialect, at):
    """A timestamp column as days since 1970 (what Evidence.at_day stores), per engine."""
    if dialect == "postgresql":
        return func.extract("epoch", at) / 86400.0
    return func.julianday(at) - 2440587.5


def _recorded(users, now, *columns):
    """The stored evidence of ``users`` up to ``now``, in the shape every signal row shares;
    ``behaviour`` marks what role-plays and coach reviews showed (not what quizzes asked)."""
    return select(
        Evidence.user_id, Evidence.topic, Evidence.dimension, Evidence.value,
        Evidence.source.in_(("roleplay", "review")).label("behaviour"), Evidence.at_day.label("day"), *columns,
    ).where(Evidence.user_id.in_(users), Evidence.at_day <= epoch_day(now))


def signal_rows(dialect, now, settings, users):
    """All evidence of ``users`` (a select of user ids) as (user_id, topic, dimension, value,
    behaviour, day, at, source, item_id), recorded rows and coaching signals as of ``now``."""
    recorded = _recorded(users, now, Evidence.created_at.label("at"), Evidence.source, Evidence.item_id)
    return union_all(recorded, *_signal_selects(dialect, now, settings, users)).subquery("evidence")


def _signal_selects(dialect, now, settings, users):
    """The coaching signals of GAP_MODEL.md, computed as of ``now``, as evidence-shaped rows."""
    window = timedelta(days=settings.review_window_days)
    # A typed reply is a support signal for its topic: reviewed in time 1, late 0.5, still
    # waiting past the window 0; one still inside its window says nothing yet.
    review_wait = (
        select(
            RoleplayRun.user_id, RoleplayRun.topic, literal("support").label("dimension"),
            case((ReplyReview.id.is_(None), 0.0),
                 (ReplyReview.reviewed_at <= later(RoleplayStep.created_at, window), 1.0), else_=0.5).label("value"),
            literal(False).label("behaviour"), day_number(dialect, RoleplayStep.created_at).label("day"),
            RoleplayStep.created_at.label("at"), literal("review_wait").label("source"),
            RoleplayRun.roleplay_id.label("item_id"),
        )
        .join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
        .outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
        .where(RoleplayRun.user_id.in_(users), RoleplayStep.typed_reply.is_not(None),
               RoleplayStep.created_at <= now,
               or_(ReplyReview.id.is_not(None), RoleplayStep.created_at < now - window))
    )

    # A failed quiz or refresher: 1 when a coach assigned work or held a 1:1 within the
    # follow-up window, 0 when the window passed without; nothing while it is still open.
    followup = timedelta(days=settings.followup_days)
    closed = QuizAttempt.closed_at
    no_followup = (
        select(
            QuizAttempt.user_id, QuizAttempt.topic, literal("support").label("dimension"),
            case((coach_acted(QuizAttempt.user_id, closed, later(closed, followup)), 1.0), else_=0.0).label("value"),
            literal(False).label("behaviour"), day_number(dialect, closed).label("day"), closed.label("at"),
            literal("followup").label("source"), QuizAttempt.quiz_id.label("item_id"),
        )
        .where(QuizAttempt.user_id.in_(users), failed_attempts(), QuizAttempt.topic.is_not(None), closed <= now,
               or_(closed < now - followup, coach_acted(QuizAttempt.user_id, closed, now)))
    )

    # A help request: answered within the help window 1, later 0.5, unanswered past it 0.
    help_window = timedelta(days=settings.help_window_days)
    answered = and_(HelpRequest.answered_at.is_not(None), HelpRequest.answered_at <= now)
    help_requests = (
        select(
            HelpRequest.user_id, HelpRequest.topic, literal("support").label("dimension"),
            case((and_(answered, HelpRequest.answered_at <= later(HelpRequest.created_at, help_window)), 1.0),
                 (answered, 0.5), else_=0.0).label("value"),
            literal(False).label("behaviour"), day_number(dialect, HelpRequest.created_at).label("day"),
            HelpRequest.created_at.label("at"), literal("help").label("source"),
            HelpRequest.subject_id.label("item_id"),
        )
        .where(HelpRequest.user_id.in_(users), HelpRequest.created_at <= now,
               or_(answered, HelpRequest.created_at < now - help_window))
    )

    # Coaching contact: one item per full 30-day period the agent was here, for every topic.
    # A coach's touches (reviews, assignments, 1:1s) are few: each is numbered by the period
    # it fell in, and the agents' periods are matched against them, rather than looking
    # them up for every agent and period.
    period = settings.period_days
    touches = union_all(
        select(RoleplayRun.user_id, ReplyReview.reviewed_at.label("at"))
        .join(RoleplayStep, RoleplayStep.run_id == RoleplayRun.id).join(ReplyReview, ReplyReview.step_id == RoleplayStep.id),
        select(Assignment.user_id, Assignment.created_at).where(Assignment.assigned_by_id.is_not(None)),
        select(OneOnOne.user_id, OneOnOne.created_at),
    ).subquery("touches")
    touched = (
        select(touches.c.user_id, func.floor((epoch_day(now) - day_number(dialect, touches.c.at)) / period).label("k"))
        .where(touches.c.user_id.in_(users), touches.c.at <= now,
               touches.c.at > now - timedelta(days=period * CONTACT_PERIODS))
        .distinct().subquery("touched")
    )
    ends = [now - timedelta(days=period * k) for k in range(CONTACT_PERIODS)]
    periods = union_all(*(
        select(literal(k).label("k"), literal(end).label("at"), literal(end - timedelta(days=period)).label("start"),
               literal(epoch_day(end)).label("day"), literal(f"period-{k}").label("item_id"))
        for k, end in enumerate(ends))).subquery("periods")
    # One row per period without a topic: the contact counts for every topic's support cell.
    contacts = (
        select(User.id.label("user_id"), cast(null(), String).label("topic"), literal("support").label("dimension"),
               case((touched.c.k.is_not(None), 1.0), else_=0.0).label("value"), literal(False).label("behaviour"),
               periods.c.day, periods.c.at, literal("coaching_contact").label("source"), periods.c.item_id)
        .select_from(User).join(periods, User.created_at <= periods.c.start)
        .outerjoin(touched, and_(touched.c.user_id == User.id, touched.c.k == periods.c.k))
        .where(User.id.in_(users))
    )
    return [review_wait, no_followup, help_requests, contacts]


def _recorded_cells(now, settings, users, present):
    """The folded sums of each cell's recorded evidence: the stored running sums for a report of
    the present, or the same fold over the evidence up to ``now`` for a report as of a past day."""
    if present:
        return select(EvidenceCell).where(EvidenceCell.user_id.in_(users)).subquery("cells")
    rows = (select(*(Evidence.__table__.c[name] for name in EVIDENCE_COLUMNS),
                   literal(settings.half_life_days).label("half_life_days"))
            .where(Evidence.user_id.in_(users), Evidence.at_day <= epoch_day(now)).subquery("up_to_now"))
    return folded(rows).subquery("cells")


def _recent_sums(now, settings, users):
    """Sums over each cell's evidence of the last period, weighed as of ``now``: taken off the
    totals, they leave the sums as they stood one period ago, for the trend."""
    now_day = epoch_day(now)
    w = weight(now_day - Evidence.at_day, settings.half_life_days)
    return (
        select(Evidence.user_id, Evidence.topic, Evidence.dimension, func.count().label("n"),
               func.sum(Evidence.value * w).label("wv"), func.sum(w).label("w"))
        # Naming every topic and dimension lets the engine seek each cell's last period on the
        # cells index, instead of reading all of an agent's evidence to find it.
        .where(Evidence.user_id.in_(users), Evidence.topic.in_(TOPICS), Evidence.dimension.in_(DIMENSIONS),
               Evidence.at_day > now_day - settings.period_days, Evidence.at_day <= now_day)
        .group_by(Evidence.user_id, Evidence.topic, Evidence.dimension)
        .subquery("recent")
    )


def grid_rows(session, now, settings, users, extra_columns=(), present=True):
    """One row per agent x topic x dimension with recorded evidence (and one per agent without
    any): user id, name, extra columns, topic, dimension, the cell's folded sums (see
    folding.SUMS) and the last period's n, wv, w.

    One statement whatever the number of agents. A report of the present reads the stored sums
    and the last period's rows only; their half-life is checked, and rows folded with another
    one (a site that just changed it, an agent moved between sites) are computed again here."""
    cells = _recorded_cells(now, settings, users, present)
    recent = _recent_sums(now, settings, users)
    rows = session.execute(
        select(User.id, User.display_name, *extra_columns, cells.c.topic, cells.c.dimension,
               *(cells.c[name] for name in SUMS), recent.c.n, recent.c.wv, recent.c.w)
        .select_from(User).outerjoin(cells, cells.c.user_id == User.id)
        .outerjoin(recent, and_(recent.c.user_id == cells.c.user_id, recent.c.topic == cells.c.topic,
                                recent.c.dimension == cells.c.dimension))
        .where(User.id.in_(users)).order_by(User.display_name, User.id)
    ).all()
    if present and any(row.half_life_days not in (None, settings.half_life_days) for row in rows):
        return grid_rows(session, now, settings, users, extra_columns, present=False)
    return rows


def signal_sums(session, now, settings, users):
    """The coaching signals' sums per cell, weighed as of ``now``: user id, topic (None for
    coaching contact, which counts for every topic), dimension, then n, wv, w over all of them
    and over the last period's."""
    table = union_all(*_signal_selects(session.get_bind().dialect.name, now, settings, users)).subquery("signals")
    now_day = epoch_day(now)
    w = weight(now_day - table.c.day, settings.half_life_days)
    recent = table.c.day > now_day - settings.period_days
    return session.execute(
        select(table.c.user_id, table.c.topic, table.c.dimension,
               func.count(), func.sum(table.c.value * w), func.sum(w),
               func.count().filter(recent), func.coalesce(func.sum(table.c.value * w).filter(recent), 0.0),
               func.coalesce(func.sum(w).filter(recent), 0.0))
        .group_by(table.c.user_id, table.c.topic, table.c.dimension)
    ).all()


def cell_evidence(session, now, settings, user_id, topic, dimension):
    """The rows behind one cell, newest first, for the evidence page."""
    rows = signal_rows(session.get_bind().dialect.name, now, settings, [user_id])
    return session.execute(
        select(rows).where(or_(rows.c.topic == topic, rows.c.topic.is_(None)), rows.c.dimension == dimension)
        .order_by(rows.c.at.desc())
    ).all()
