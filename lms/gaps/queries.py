"""Set-based gap computation: one SQL statement turns every evidence row and coaching
signal of a group of agents into weighted sums per agent x topic x dimension, on SQLite and
PostgreSQL alike. Python then only reads one row per cell, never the evidence itself."""

import math
from datetime import timedelta

from sqlalchemy import (
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)

from ..accounts.models import User
from ..catalog import TOPICS
from ..coaching.models import Assignment, HelpRequest, OneOnOne
from ..coaching.oversight import coach_acted, failed_attempts
from ..db import later
from ..learning.models import QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from .models import Evidence, epoch_day

#: How many past 30-day periods the "coaching contact" signal looks at.
CONTACT_PERIODS = 3
LN2 = math.log(2)


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
    topics = union_all(*(select(literal(t).label("topic")) for t in TOPICS)).subquery("topics")
    contacts = (
        select(User.id.label("user_id"), topics.c.topic, literal("support").label("dimension"),
               case((touched.c.k.is_not(None), 1.0), else_=0.0).label("value"), literal(False).label("behaviour"),
               periods.c.day, periods.c.at, literal("coaching_contact").label("source"), periods.c.item_id)
        .select_from(User).join(periods, User.created_at <= periods.c.start)
        .outerjoin(touched, and_(touched.c.user_id == User.id, touched.c.k == periods.c.k))
        .join(topics, literal(True))
        .where(User.id.in_(users))
    )
    return [review_wait, no_followup, help_requests, contacts]


def _weighted_sums(now, settings, table):
    """Weighted sums over rows of (value, day, dimension, behaviour).

    One exp() per row for the totals; the sums one period ago are the totals less the
    recent rows (few), scaled: a row's weight one period ago is its weight now times a
    constant. Behaviour sums only touch role-play belief rows (few)."""
    now_day = epoch_day(now)
    w = func.exp(-LN2 * (now_day - table.c.day) / settings.half_life_days)
    shift = math.exp(LN2 * settings.period_days / settings.half_life_days)
    recent = table.c.day > now_day - settings.period_days
    value = table.c.value
    behaviour = and_(table.c.behaviour, table.c.dimension == "belief")
    swv, sw, n = func.sum(value * w), func.sum(w), func.count(value)

    def only(aggregate, condition):
        # FILTER skips the rows outright, where a CASE still feeds them to the sum as 0.
        return func.coalesce(aggregate.filter(condition), 0)

    return (
        swv.label("swv"), sw.label("sw"), n.label("n"),
        ((swv - only(func.sum(value * w), recent)) * shift).label("pswv"),
        ((sw - only(func.sum(w), recent)) * shift).label("psw"),
        (n - only(func.count(), recent)).label("pn"),
        only(func.sum(value * w), behaviour).label("bswv"),
        only(func.sum(w), behaviour).label("bsw"),
        only(func.count(), behaviour).label("bn"),
    )


SUMS = ("swv", "sw", "n", "pswv", "psw", "pn", "bswv", "bsw", "bn")


def grid_rows(session, now, settings, users, extra_columns=()):
    """One row per agent x topic x dimension with evidence (and one per agent without any):
    user id, name, extra columns, topic, dimension, then weighted sums now, one period ago,
    and for role-play behaviour only.

    A single statement whatever the number of agents: the recorded evidence is grouped
    straight on its (covering) index, the coaching signals are grouped apart, and since
    weighted sums add up, the two sets of groups are summed per cell before the agents
    are joined to them."""
    dialect = session.get_bind().dialect.name
    evidence = _recorded(users, now).subquery("recorded")
    signals = union_all(*_signal_selects(dialect, now, settings, users)).subquery("signals")
    groups = union_all(*(
        select(table.c.user_id, table.c.topic, table.c.dimension, *_weighted_sums(now, settings, table))
        .group_by(table.c.user_id, table.c.topic, table.c.dimension) for table in (evidence, signals)
    )).subquery("groups")
    cells = (select(groups.c.user_id, groups.c.topic, groups.c.dimension,
                    *(func.sum(groups.c[name]).label(name) for name in SUMS))
             .group_by(groups.c.user_id, groups.c.topic, groups.c.dimension).subquery("cells"))
    return session.execute(
        select(User.id, User.display_name, *extra_columns, cells.c.topic, cells.c.dimension,
               *(cells.c[name] for name in SUMS))
        .select_from(User).outerjoin(cells, cells.c.user_id == User.id)
        .where(User.id.in_(users)).order_by(User.display_name, User.id)
    ).all()


def cell_evidence(session, now, settings, user_id, topic, dimension):
    """The rows behind one cell, newest first, for the evidence page."""
    rows = signal_rows(session.get_bind().dialect.name, now, settings, [user_id])
    return session.execute(
        select(rows).where(rows.c.topic == topic, rows.c.dimension == dimension).order_by(rows.c.at.desc())
    ).all()
