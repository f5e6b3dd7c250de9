"""Set-based gap computation, on SQLite and PostgreSQL alike: one statement reads the weighted
sums of every agent x topic x dimension of a group of agents (kept by the database as evidence
is written, see folding.py), another computes the coaching signals as of the report's moment.
Python then reads one row per cell, never the evidence itself."""

from datetime import timedelta

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)

from ..accounts.models import User
from ..coaching.models import Assignment, HelpRequest, OneOnOne
from ..coaching.oversight import failed_attempts, followup_value
from ..db import fetch_all, later
from ..learning.models import QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from ..selfreview.models import CallReview
from .folding import EVIDENCE_COLUMNS, folded, weight
from ..evidence import Evidence, epoch_day
from .models import EvidenceCell

#: How many past 30-day periods the "coaching contact" signal looks at.
CONTACT_PERIODS = 3


def day_number(dialect, at):
    """A timestamp column as days since 1970 (what Evidence.at_day stores), per engine."""
    if dialect == "postgresql":
        return func.extract("epoch", at) / 86400.0
    return func.julianday(at) - 2440587.5


def signal_rows(dialect, now, settings, users):
    """All evidence of ``users`` (a select of user ids) as (user_id, topic, dimension, value,
    day, at, source, item_id), recorded rows and coaching signals as of ``now``."""
    recorded = select(
        Evidence.user_id, Evidence.topic, Evidence.dimension, Evidence.value, Evidence.at_day.label("day"),
        Evidence.created_at.label("at"), Evidence.source, Evidence.item_id,
    ).where(Evidence.user_id.in_(users), Evidence.at_day <= epoch_day(now))
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
            day_number(dialect, RoleplayStep.created_at).label("day"),
            RoleplayStep.created_at.label("at"), literal("review_wait").label("source"),
            RoleplayRun.roleplay_id.label("item_id"),
        )
        .join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
        .outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
        .where(RoleplayRun.user_id.in_(users), RoleplayStep.typed_reply.is_not(None),
               RoleplayStep.created_at <= now,
               or_(ReplyReview.id.is_not(None), RoleplayStep.created_at < now - window))
    )

    # A failed quiz or refresher: 1 when a coach acted on its topic within the follow-up
    # window, 0 when the window passed without (and without a pass closing it); nothing else
    # (oversight.followup_value, the definition the coaching pages read too).
    value = followup_value(now, settings)
    closed = QuizAttempt.closed_at
    no_followup = (
        select(
            QuizAttempt.user_id, QuizAttempt.topic, literal("support").label("dimension"), value.label("value"),
            day_number(dialect, closed).label("day"), closed.label("at"),
            literal("followup").label("source"), QuizAttempt.quiz_id.label("item_id"),
        )
        .where(QuizAttempt.user_id.in_(users), failed_attempts(), QuizAttempt.topic.is_not(None), closed <= now,
               value.is_not(None))
    )

    # A help request: answered within the help window 1, later 0.5, unanswered past it 0.
    help_window = timedelta(days=settings.help_window_days)
    answered = and_(HelpRequest.answered_at.is_not(None), HelpRequest.answered_at <= now)
    help_requests = (
        select(
            HelpRequest.user_id, HelpRequest.topic, literal("support").label("dimension"),
            case((and_(answered, HelpRequest.answered_at <= later(HelpRequest.created_at, help_window)), 1.0),
                 (answered, 0.5), else_=0.0).label("value"),
            day_number(dialect, HelpRequest.created_at).label("day"),
            HelpRequest.created_at.label("at"), literal("help").label("source"),
            HelpRequest.subject_id.label("item_id"),
        )
        .where(HelpRequest.user_id.in_(users), HelpRequest.created_at <= now,
               or_(answered, HelpRequest.created_at < now - help_window))
    )

    # Coaching contact: one item per full 30-day period the agent was here, for every topic.
    # A coach's touches (reviews, scored calls, assignments, 1:1s) are few: each is numbered by the period
    # it fell in, and the agents' periods are matched against them, rather than looking
    # them up for every agent and period.
    period = settings.period_days
    touches = union_all(
        select(RoleplayRun.user_id, ReplyReview.reviewed_at.label("at"))
        .join(RoleplayStep, RoleplayStep.run_id == RoleplayRun.id).join(ReplyReview, ReplyReview.step_id == RoleplayStep.id),
        select(Assignment.user_id, Assignment.created_at).where(Assignment.assigned_by_id.is_not(None)),
        select(OneOnOne.user_id, OneOnOne.created_at),
        select(CallReview.user_id, CallReview.calibrated_at).where(CallReview.calibrated_at.is_not(None)),
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
               case((touched.c.k.is_not(None), 1.0), else_=0.0).label("value"),
               periods.c.day, periods.c.at, literal("coaching_contact").label("source"), periods.c.item_id)
        .select_from(User).join(periods, User.created_at <= periods.c.start)
        .outerjoin(touched, and_(touched.c.user_id == User.id, touched.c.k == periods.c.k))
        .where(User.id.in_(users))
    )
    return [review_wait, no_followup, help_requests, contacts]


def _recorded_cells(now, settings, users, present):
    """The folded sums of each cell's recorded evidence: the stored running sums for a report of
    the present, or the same fold over the evidence up to ``now`` (settled one period before
    it) for a report as of a past day."""
    if present:
        return select(EvidenceCell).where(EvidenceCell.user_id.in_(users)).subquery("cells")
    rows = _to_fold(now, settings).where(Evidence.user_id.in_(users), Evidence.at_day <= epoch_day(now))
    return folded(rows.subquery("up_to_now")).subquery("cells")


def _to_fold(now, settings):
    """Evidence rows as folding.folded() takes them, with the report's half-life and settled one
    period before ``now``."""
    return select(*(Evidence.__table__.c[name] for name in EVIDENCE_COLUMNS),
                  literal(settings.half_life_days).label("half_life_days"),
                  literal(epoch_day(now) - settings.period_days).label("settled_day"))


#: What a report reads of each cell's sums (see folding.SUMS).
GRID_SUMS = ("half_life_days", "settled_day", "n", "last_day", "swv", "sw", "bn", "bswv", "bsw",
             "pn", "p_last_day", "pswv", "psw")


def grid_rows(session, now, settings, users, team_column=None, present=True):
    """The agents and their cells' folded sums, in one statement whatever their number: rows
    of (user id, name, team id or None) and rows of (user id, None, None, topic, dimension,
    *GRID_SUMS), in no order. Also, when they are the stored sums, the earliest day they
    settled (None when they were folded here).

    A report of the present reads the stored sums; their half-life is checked, and sums folded
    with another one (a site that changed it behind the app's back, an agent moved between
    sites) are folded again here."""
    cells = _recorded_cells(now, settings, users, present)
    nothing = [cast(null(), cells.c[name].type).label(name) for name in ("topic", "dimension", *GRID_SUMS)]
    people = select(User.id, User.display_name, team_column if team_column is not None else cast(null(), Integer),
                    *nothing).where(User.id.in_(users))
    sums = select(cells.c.user_id, cast(null(), String), cast(null(), Integer), cells.c.topic, cells.c.dimension,
                  *(cells.c[name] for name in GRID_SUMS))
    # 150,000 rows for a site of 10,000 agents: names come once per agent, not once per cell.
    rows = fetch_all(session, union_all(people, sums))
    if not present:
        return rows, None
    if any(row.half_life_days not in (None, settings.half_life_days) for row in rows):
        return grid_rows(session, now, settings, users, team_column, present=False)
    return rows, min((row.settled_day for row in rows if row.settled_day is not None), default=None)


def _unsettled(now, settings, users, since):
    """Stored cells settle evidence up to their settled day (the earliest: ``since``); a report
    needs it settled up to one period before now. These are the rows in between (with a nightly
    refold, about a day's), folded per cell like any evidence."""
    cells = EvidenceCell.__table__.c
    # Those days' rows are few: they are read off the index by day. ``user_id + 0`` keeps the
    # engine from seeking every cell's rows on the cells index instead (SQLite would).
    user_id = Evidence.user_id + 0
    rows = (
        _to_fold(now, settings)
        .join(EvidenceCell.__table__, and_(cells.user_id == user_id, cells.topic == Evidence.topic,
                                           cells.dimension == Evidence.dimension))
        .where(user_id.in_(users), Evidence.at_day > since,
               Evidence.at_day <= epoch_day(now) - settings.period_days, Evidence.at_day > cells.settled_day)
    )
    return folded(rows.subquery("unsettled"))


def signal_sums(session, now, settings, users, settled_since=None):
    """Sums per cell, weighed as of ``now``, of the coaching signals: user id, topic (None for
    coaching contact, which counts for every topic), dimension, then n, wv, w of all of them
    and of those one period old, and None. Given the day stored sums settled ``settled_since``,
    also a row per stored cell with evidence not settled yet: user id, topic, dimension, n, wv,
    w of that evidence (relative to its newest day), None x 3 and that day."""
    table = union_all(*_signal_selects(session.get_bind().dialect.name, now, settings, users)).subquery("signals")
    now_day = epoch_day(now)
    w = weight(now_day - table.c.day, settings.half_life_days)
    no_number = cast(null(), Float)
    signals = (
        select(table.c.user_id, table.c.topic, table.c.dimension,
               *(aggregate for chosen in (true(), table.c.day <= now_day - settings.period_days) for aggregate in (
                   func.count().filter(chosen), func.coalesce(func.sum(table.c.value * w).filter(chosen), 0.0),
                   func.coalesce(func.sum(w).filter(chosen), 0.0))),
               no_number.label("newest"))
        .group_by(table.c.user_id, table.c.topic, table.c.dimension)
    )
    if settled_since is None:
        return fetch_all(session, signals)
    c = _unsettled(now, settings, users, settled_since).subquery("late").c
    return fetch_all(session, union_all(signals, select(
        c.user_id, c.topic, c.dimension, c.n, c.swv, c.sw, no_number, no_number, no_number, c.last_day)))


def cell_evidence(session, now, settings, user_id, topic, dimension):
    """The rows behind one cell, newest first, for the evidence page."""
    rows = signal_rows(session.get_bind().dialect.name, now, settings, [user_id])
    return session.execute(
        select(rows).where(or_(rows.c.topic == topic, rows.c.topic.is_(None)), rows.c.dimension == dimension)
        .order_by(rows.c.at.desc())
    ).all()
