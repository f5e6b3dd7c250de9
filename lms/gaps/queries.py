"""Set-based gap computation, on SQLite and PostgreSQL alike: one statement reads the weighted
sums of every agent x topic x dimension of a group of agents (kept by the database as evidence
is written, see folding.py), another computes the coaching signals as of the report's moment.
Python then reads one row per cell, never the evidence itself.

The statements are large, and building one costs more than the database takes to run it: each
is built once per shape (engine, whose evidence, stored or refolded sums) with the report's
moment, site settings and agents as bound parameters (Moment, SCOPES), and run with values()."""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import (
    DateTime,
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
from ..db import fetch_all, later, param
from ..learning.models import QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from ..selfreview.models import CallReview
from .folding import EVIDENCE_COLUMNS, folded, weight
from ..evidence import Evidence, epoch_day
from .models import EvidenceCell

#: How many past 30-day periods the "coaching contact" signal looks at.
CONTACT_PERIODS = 3


@dataclass(frozen=True)
class Moment:
    """What a report's statements read of its moment and its site's settings. Built by
    ``params()`` the fields are bound parameters (what the cached statements hold); by
    ``values(now, settings)`` they are the values those parameters take."""

    now: object
    now_day: object  # epoch_day(now)
    period_ago_day: object  # one period before now: what is settled, the trend's comparison
    half_life: object
    period: object
    review_window: object  # seconds
    review_late: object  # now - the review window
    help_window: object  # seconds
    help_late: object
    followup_window: object  # seconds
    followup_late: object
    contact_since: object  # the start of the oldest coaching-contact period
    period_ends: tuple  # (k, end, start, end's day) of each coaching-contact period

    @classmethod
    def params(cls):
        days, moment, seconds = Float(), DateTime(), Float()
        return cls(
            now=param("now", moment), now_day=param("now_day", days), period_ago_day=param("period_ago_day", days),
            half_life=param("half_life", days), period=param("period", days),
            review_window=param("review_window", seconds), review_late=param("review_late", moment),
            help_window=param("help_window", seconds), help_late=param("help_late", moment),
            followup_window=param("followup_window", seconds), followup_late=param("followup_late", moment),
            contact_since=param("contact_since", moment),
            period_ends=tuple((k, param(f"end_{k}", moment), param(f"start_{k}", moment), param(f"end_day_{k}", days))
                              for k in range(CONTACT_PERIODS)))

    @staticmethod
    def values(now, settings):
        """{parameter name: value} for a report of ``now`` with ``settings``."""
        period = timedelta(days=settings.period_days)
        windows = {name: timedelta(days=getattr(settings, f"{name}_days"))
                   for name in ("review_window", "help_window", "followup")}
        values = {
            "now": now, "now_day": epoch_day(now), "period_ago_day": epoch_day(now) - settings.period_days,
            "half_life": float(settings.half_life_days), "period": float(settings.period_days),
            "review_window": windows["review_window"].total_seconds(), "review_late": now - windows["review_window"],
            "help_window": windows["help_window"].total_seconds(), "help_late": now - windows["help_window"],
            "followup_window": windows["followup"].total_seconds(), "followup_late": now - windows["followup"],
            "contact_since": now - period * CONTACT_PERIODS,
        }
        for k in range(CONTACT_PERIODS):
            end = now - period * k
            values.update({f"end_{k}": end, f"start_{k}": end - period, f"end_day_{k}": epoch_day(end)})
        return values


#: Whose evidence a statement reads, by the bound parameter ``scope_id``: an agent, or the
#: active agents of a team or of a site.
SCOPES = {
    "agent": lambda: [param("scope_id", Integer())],
    "team": lambda: select(User.id).where(User.team_id == param("scope_id", Integer()), User.role == "agent",
                                          User.active.is_(True)),
    "site": lambda: select(User.id).where(User.site_id == param("scope_id", Integer()), User.role == "agent",
                                          User.active.is_(True)),
}


def day_number(dialect, at):
    """A timestamp column as days since 1970 (what Evidence.at_day stores), per engine."""
    if dialect == "postgresql":
        return func.extract("epoch", at) / 86400.0
    return func.julianday(at) - 2440587.5


def signal_rows(dialect, m, users):
    """All evidence of ``users`` as (user_id, topic, dimension, value, day, at, source,
    item_id), recorded rows and coaching signals as of the moment ``m``."""
    recorded = select(
        Evidence.user_id, Evidence.topic, Evidence.dimension, Evidence.value, Evidence.at_day.label("day"),
        Evidence.created_at.label("at"), Evidence.source, Evidence.item_id,
    ).where(Evidence.user_id.in_(users), Evidence.at_day <= m.now_day)
    return union_all(recorded, *_signal_selects(dialect, m, users)).subquery("evidence")


def _signal_selects(dialect, m, users):
    """The coaching signals of GAP_MODEL.md, computed as of the moment ``m``, as evidence-shaped rows."""
    # A typed reply is a support signal for its topic: reviewed in time 1, late 0.5, still
    # waiting past the window 0; one still inside its window says nothing yet.
    review_wait = (
        select(
            RoleplayRun.user_id, RoleplayRun.topic, literal("support").label("dimension"),
            case((ReplyReview.id.is_(None), 0.0),
                 (ReplyReview.reviewed_at <= later(RoleplayStep.created_at, m.review_window), 1.0),
                 else_=0.5).label("value"),
            day_number(dialect, RoleplayStep.created_at).label("day"),
            RoleplayStep.created_at.label("at"), literal("review_wait").label("source"),
            RoleplayRun.roleplay_id.label("item_id"),
        )
        .join(RoleplayRun, RoleplayStep.run_id == RoleplayRun.id)
        .outerjoin(ReplyReview, ReplyReview.step_id == RoleplayStep.id)
        .where(RoleplayRun.user_id.in_(users), RoleplayStep.typed_reply.is_not(None),
               RoleplayStep.created_at <= m.now,
               or_(ReplyReview.id.is_not(None), RoleplayStep.created_at < m.review_late))
    )

    # A failed quiz or refresher: 1 when a coach acted on its topic within the follow-up
    # window, 0 when the window passed without (and without a pass closing it); nothing else
    # (oversight.followup_value, the definition the coaching pages read too).
    value = followup_value(m.now, m.followup_window, m.followup_late)
    closed = QuizAttempt.closed_at
    no_followup = (
        select(
            QuizAttempt.user_id, QuizAttempt.topic, literal("support").label("dimension"), value.label("value"),
            day_number(dialect, closed).label("day"), closed.label("at"),
            literal("followup").label("source"), QuizAttempt.quiz_id.label("item_id"),
        )
        .where(QuizAttempt.user_id.in_(users), failed_attempts(), QuizAttempt.topic.is_not(None), closed <= m.now,
               value.is_not(None))
    )

    # A help request: answered within the help window 1, later 0.5, unanswered past it 0.
    answered = and_(HelpRequest.answered_at.is_not(None), HelpRequest.answered_at <= m.now)
    help_requests = (
        select(
            HelpRequest.user_id, HelpRequest.topic, literal("support").label("dimension"),
            case((and_(answered, HelpRequest.answered_at <= later(HelpRequest.created_at, m.help_window)), 1.0),
                 (answered, 0.5), else_=0.0).label("value"),
            day_number(dialect, HelpRequest.created_at).label("day"),
            HelpRequest.created_at.label("at"), literal("help").label("source"),
            HelpRequest.subject_id.label("item_id"),
        )
        .where(HelpRequest.user_id.in_(users), HelpRequest.created_at <= m.now,
               or_(answered, HelpRequest.created_at < m.help_late))
    )

    # Coaching contact: one item per full 30-day period the agent was here, for every topic.
    # A coach's touches (reviews, scored calls, assignments, 1:1s) are few: each is numbered by the period
    # it fell in, and the agents' periods are matched against them, rather than looking
    # them up for every agent and period.
    touches = union_all(
        select(RoleplayRun.user_id, ReplyReview.reviewed_at.label("at"))
        .join(RoleplayStep, RoleplayStep.run_id == RoleplayRun.id).join(ReplyReview, ReplyReview.step_id == RoleplayStep.id),
        select(Assignment.user_id, Assignment.created_at).where(Assignment.assigned_by_id.is_not(None)),
        select(OneOnOne.user_id, OneOnOne.created_at),
        select(CallReview.user_id, CallReview.calibrated_at).where(CallReview.calibrated_at.is_not(None)),
    ).subquery("touches")
    touched = (
        select(touches.c.user_id, func.floor((m.now_day - day_number(dialect, touches.c.at)) / m.period).label("k"))
        .where(touches.c.user_id.in_(users), touches.c.at <= m.now, touches.c.at > m.contact_since)
        .distinct().subquery("touched")
    )
    periods = union_all(*(
        select(literal(k).label("k"), end.label("at"), start.label("start"), day.label("day"),
               literal(f"period-{k}").label("item_id"))
        for k, end, start, day in m.period_ends)).subquery("periods")
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


def _recorded_cells(m, users, present):
    """The folded sums of each cell's recorded evidence: the stored running sums for a report of
    the present, or the same fold over the evidence up to now (settled one period before it)
    for a report as of a past day."""
    if present:
        return select(EvidenceCell).where(EvidenceCell.user_id.in_(users)).subquery("cells")
    rows = _to_fold(m).where(Evidence.user_id.in_(users), Evidence.at_day <= m.now_day)
    return folded(rows.subquery("up_to_now")).subquery("cells")


def _to_fold(m):
    """Evidence rows as folding.folded() takes them, with the report's half-life and settled one
    period before now."""
    return select(*(Evidence.__table__.c[name] for name in EVIDENCE_COLUMNS),
                  m.half_life.label("half_life_days"), m.period_ago_day.label("settled_day"))


#: What a report reads of each cell's sums (see folding.SUMS).
GRID_SUMS = ("half_life_days", "settled_day", "n", "last_day", "swv", "sw", "bn", "bswv", "bsw",
             "pn", "p_last_day", "pswv", "psw")


def _of_dimension(statement, column, dimension):
    """``statement`` kept to one dimension's cells, or as it is for all (None)."""
    return statement if dimension is None else statement.where(column == dimension)


@lru_cache(maxsize=None)
def _grid_statement(dialect, scope, with_team, present, dimension):
    users = SCOPES[scope]()
    cells = _recorded_cells(Moment.params(), users, present)
    nothing = [cast(null(), cells.c[name].type).label(name) for name in ("topic", "dimension", *GRID_SUMS)]
    people = select(User.id, User.display_name, User.team_id if with_team else cast(null(), Integer),
                    *nothing).where(User.id.in_(users))
    sums = select(cells.c.user_id, cast(null(), String), cast(null(), Integer), cells.c.topic, cells.c.dimension,
                  *(cells.c[name] for name in GRID_SUMS))
    return union_all(people, _of_dimension(sums, cells.c.dimension, dimension))


def grid_rows(session, now, settings, scope, with_team=False, present=True, dimension=None):
    """The agents of ``scope`` (a SCOPES name and an id) and their cells' folded sums, in one
    statement whatever their number: rows of (user id, name, team id or None) and rows of
    (user id, None, None, topic, dimension, *GRID_SUMS), in no order; only ``dimension``'s
    cells when one is given. Also, when they are the stored sums, the earliest day they
    settled (None when they were folded here).

    A report of the present reads the stored sums; their half-life is checked, and sums folded
    with another one (a site that changed it behind the app's back, an agent moved between
    sites) are folded again here."""
    kind, scope_id = scope
    statement = _grid_statement(session.get_bind().dialect.name, kind, with_team, present, dimension)
    # 150,000 rows for a site of 10,000 agents: names come once per agent, not once per cell.
    rows = fetch_all(session, statement, {**Moment.values(now, settings), "scope_id": scope_id})
    if not present:
        return rows, None
    if any(row.half_life_days not in (None, settings.half_life_days) for row in rows):
        return grid_rows(session, now, settings, scope, with_team, False, dimension)
    return rows, min((row.settled_day for row in rows if row.settled_day is not None), default=None)


def _unsettled(m, users, one_agent):
    """Stored cells settle evidence up to their settled day (the earliest: the parameter
    ``settled_since``); a report needs it settled up to one period before now. These are the
    rows in between (with a nightly refold, about a day's), folded per cell like any evidence."""
    cells = EvidenceCell.__table__.c
    # For a team or a site those days' rows are read off the index by day: ``user_id + 0``
    # keeps the engine from seeking every cell's rows on the cells index instead (SQLite
    # would). One agent's are a few seeks on the cells index, not a day of everyone's rows.
    user_id = Evidence.user_id if one_agent else Evidence.user_id + 0
    rows = (
        _to_fold(m)
        .join(EvidenceCell.__table__, and_(cells.user_id == user_id, cells.topic == Evidence.topic,
                                           cells.dimension == Evidence.dimension))
        .where(user_id.in_(users), Evidence.at_day > param("settled_since", Float()),
               Evidence.at_day <= m.period_ago_day, Evidence.at_day > cells.settled_day)
    )
    return folded(rows.subquery("unsettled"))


@lru_cache(maxsize=None)
def _signals_statement(dialect, scope, unsettled, dimension):
    m, users = Moment.params(), SCOPES[scope]()
    table = union_all(*_signal_selects(dialect, m, users)).subquery("signals")
    w = weight(m.now_day - table.c.day, m.half_life)
    no_number = cast(null(), Float)
    signals = (
        select(table.c.user_id, table.c.topic, table.c.dimension,
               *(aggregate for chosen in (true(), table.c.day <= m.period_ago_day) for aggregate in (
                   func.count().filter(chosen), func.coalesce(func.sum(table.c.value * w).filter(chosen), 0.0),
                   func.coalesce(func.sum(w).filter(chosen), 0.0))),
               no_number.label("newest"))
        .group_by(table.c.user_id, table.c.topic, table.c.dimension)
    )
    signals = _of_dimension(signals, table.c.dimension, dimension)
    if not unsettled:
        return signals
    c = _unsettled(m, users, scope == "agent").subquery("late").c
    late = select(c.user_id, c.topic, c.dimension, c.n, c.swv, c.sw, no_number, no_number, no_number, c.last_day)
    return union_all(signals, _of_dimension(late, c.dimension, dimension))


def signal_sums(session, now, settings, scope, settled_since=None, dimension=None):
    """Sums per cell, weighed as of ``now``, of the coaching signals of ``scope``'s agents: user
    id, topic (None for coaching contact, which counts for every topic), dimension, then n, wv,
    w of all of them and of those one period old, and None. Given the day stored sums settled
    ``settled_since``, also a row per stored cell with evidence not settled yet: user id, topic,
    dimension, n, wv, w of that evidence (relative to its newest day), None x 3 and that day.
    Only ``dimension``'s, when one is given."""
    kind, scope_id = scope
    statement = _signals_statement(session.get_bind().dialect.name, kind, settled_since is not None, dimension)
    values = {**Moment.values(now, settings), "scope_id": scope_id}
    if settled_since is not None:
        values["settled_since"] = settled_since
    return fetch_all(session, statement, values)


@lru_cache(maxsize=None)
def _cell_evidence_statement(dialect):
    rows = signal_rows(dialect, Moment.params(), SCOPES["agent"]())
    topic, dimension = param("topic", String()), param("dimension", String())
    return (select(rows).where(or_(rows.c.topic == topic, rows.c.topic.is_(None)), rows.c.dimension == dimension)
            .order_by(rows.c.at.desc()))


def cell_evidence(session, now, settings, user_id, topic, dimension):
    """The rows behind one cell, newest first, for the evidence page."""
    statement = _cell_evidence_statement(session.get_bind().dialect.name)
    return session.execute(statement, {**Moment.values(now, settings), "scope_id": user_id, "topic": topic,
                                       "dimension": dimension}).all()
