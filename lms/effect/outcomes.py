"""Does coaching work? For every remedy of a gap — an assignment made from the gap report, a
1:1 on a belief gap, a practice session on a support gap — the cell's score before it and
after it, whether and when the gap closed, in a few set-wise statements whatever the number
of remedies (the evidence is never read row by row in Python).

The score of a cell as of any moment is the recency-weighted mean of its evidence up to then
(GAP_MODEL.md); the mean does not depend on the day it is read, so weights relative to the
remedy's own day serve for every moment, and a running sum over the evidence in time order
gives the cell's score after each new piece of evidence. The gap closed at the first evidence
after the remedy that brought the cell to the threshold with enough evidence.

Remedies recorded as such (lms_gap_remedy, since this page exists) carry the gap they were
for and the score the coach saw. Older ones are inferred: a coach's assignment of a quiz,
refresher or module counts for the knowledge cell of its topic, of a role-play for belief, a
1:1 for belief — when the evidence as of that moment showed a gap in that cell; their
"before" is computed from the evidence up to then."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from statistics import median

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from .. import db
from ..accounts.models import Site, User
from ..catalog import DIMENSIONS
from ..coaching.assigning import GAP_OF_KIND
from ..coaching.models import Assignment, OneOnOne
from ..db import fetch_all, param, utcnow
from ..evidence import Evidence, epoch_day
from ..evidence.models import EPOCH
from ..gaps.folding import FADED, LN2
from ..gaps.queries import Moment, day_number, signal_rows
from ..gaps.reports import site_settings
from .models import GapRemedy

#: The window the page's headline share counts a gap closed in.
WINDOW_DAYS = 30
REMEDY_KINDS = ("assignment", "one_on_one")


def _remedies(dialect, users):
    """Every remedy of the agents ``users`` (a select of ids): recorded ones and, for
    assignments and 1:1s without a record, the inferred ones; withdrawn assignments are none.
    Each is numbered ``ref`` by its row's id and table (a single number sorts fastest)."""
    target = Assignment.kind + literal(":") + Assignment.target_id
    recorded = (
        select((GapRemedy.id * 3).label("ref"), GapRemedy.user_id,
               GapRemedy.coach_id, GapRemedy.topic, GapRemedy.dimension, GapRemedy.kind, target.label("target"),
               GapRemedy.created_at.label("at"), literal(1).label("recorded"), GapRemedy.score_before)
        .outerjoin(Assignment, Assignment.id == GapRemedy.assignment_id)
        .where(GapRemedy.user_id.in_(users), Assignment.cancelled_at.is_(None))
    )
    gap_of_kind = case(*((Assignment.kind == kind, literal(gap)) for kind, gap in GAP_OF_KIND.items()),
                       else_=literal("knowledge"))
    assignments = (
        select(Assignment.id * 3 + 1, Assignment.user_id, Assignment.assigned_by_id, Assignment.topic,
               gap_of_kind, literal("assignment"), target, Assignment.created_at, literal(0),
               cast(null(), Float))
        .where(Assignment.user_id.in_(users), Assignment.assigned_by_id.is_not(None), Assignment.cancelled_at.is_(None),
               ~exists().where(GapRemedy.assignment_id == Assignment.id))
    )
    talks = (
        select(OneOnOne.id * 3 + 2, OneOnOne.user_id, OneOnOne.coach_id, OneOnOne.topic,
               literal("belief"), literal("one_on_one"), cast(null(), String), OneOnOne.created_at, literal(0),
               cast(null(), Float))
        .where(OneOnOne.user_id.in_(users), ~exists().where(GapRemedy.one_on_one_id == OneOnOne.id))
    )
    union = union_all(recorded, assignments, talks).subquery("remedies")
    # Read several times by the statement: a CTE, which both engines compute once.
    return select(*union.c, day_number(dialect, union.c.at).label("day")).cte("remedy")


def _agents(where):
    return select(User.id).where(where, User.role == "agent", User.active.is_(True))


#: Whose remedies a statement reads, by bound parameters: a site's active agents, or some teams'.
SCOPES = {"site": lambda: _agents(User.site_id == param("site_id", Integer())),
          "teams": lambda: _agents(User.team_id.in_(bindparam("team_ids", expanding=True)))}


@lru_cache(maxsize=None)
def _outcomes_statement(dialect, scope):
    """The statement of outcome_rows(), built once per engine and scope: the moment, the site's
    settings and the scope are bound parameters."""
    m = Moment.params()
    threshold, min_evidence = param("threshold", Float()), param("min_evidence", Integer())
    agents = SCOPES[scope]()
    r = _remedies(dialect, agents)
    key = (r.c.ref,)
    # A knowledge or belief cell's evidence is what was recorded: read per cell off its index.
    recorded = (
        select(*key, r.c.day.label("remedy_day"), Evidence.at_day.label("day"), Evidence.value)
        .join(Evidence, and_(Evidence.user_id == r.c.user_id, Evidence.topic == r.c.topic,
                             Evidence.dimension == r.c.dimension))
        .where(r.c.dimension != "support", Evidence.at_day <= m.now_day)
    )
    # A support cell's is the coaching signals as of now (and any recorded), of those agents only
    # (only recorded remedies are for support).
    supported = signal_rows(dialect, m, select(GapRemedy.user_id).where(
        GapRemedy.dimension == "support", GapRemedy.user_id.in_(agents)).distinct())
    signals = (
        select(*key, r.c.day, supported.c.day, supported.c.value)
        .join(supported, and_(supported.c.user_id == r.c.user_id, supported.c.dimension == "support",
                              or_(supported.c.topic == r.c.topic, supported.c.topic.is_(None))))
        .where(r.c.dimension == "support")
    )
    rows = union_all(recorded, signals).subquery("cell_evidence")
    h = m.half_life
    w = case((rows.c.day < rows.c.remedy_day - FADED * h, 0.0),
             else_=func.exp(LN2 * (rows.c.day - rows.c.remedy_day) / h))
    key = (rows.c.ref,)
    running = {"partition_by": key, "order_by": rows.c.day}
    joined = (
        select(*key, rows.c.remedy_day, rows.c.day, (rows.c.value * w).label("wv"), w.label("w"),
               func.sum(rows.c.value * w).over(**running).label("rwv"), func.sum(w).over(**running).label("rw"),
               func.count().over(**running).label("rn"))
        .subquery("running")
    )
    j = joined.c
    # The evidence that closed the gap: the first after the remedy that brought the cell to the
    # threshold with enough evidence (numbered among those that did, by day).
    closes = and_(j.day > j.remedy_day, j.rn >= min_evidence, j.rw > 0, j.rwv >= threshold * j.rw)
    marked = select(*joined.c, closes.label("closes"), func.row_number().over(
        partition_by=(j.ref, closes), order_by=j.day).label("k")).subquery("marked")
    c = marked.c
    before = c.day <= c.remedy_day
    first_close = and_(c.closes, c.k == 1)
    sums = (
        select(c.ref,
               func.count().filter(before).label("n_before"),
               func.coalesce(func.sum(c.wv).filter(before), 0.0).label("wv_before"),
               func.coalesce(func.sum(c.w).filter(before), 0.0).label("w_before"),
               func.count().label("n_now"), func.sum(c.wv).label("wv_now"), func.sum(c.w).label("w_now"),
               func.min(c.day).filter(first_close).label("closed_day"),
               func.max(c.rwv / c.rw).filter(first_close).label("score_at_close"))
        .group_by(c.ref).subquery("sums")
    )
    agent, coach = aliased(User), aliased(User)
    was_a_gap = and_(sums.c.n_before >= min_evidence, sums.c.w_before > 0,
                     sums.c.wv_before < threshold * sums.c.w_before)
    return (
        select(r.c.ref, r.c.user_id, agent.display_name.label("agent"), agent.team_id,
               r.c.coach_id, coach.display_name.label("coach"), r.c.topic, r.c.dimension, r.c.kind, r.c.target,
               r.c.at, r.c.day, r.c.recorded, r.c.score_before,
               func.coalesce(sums.c.n_before, 0).label("n_before"), sums.c.wv_before, sums.c.w_before,
               func.coalesce(sums.c.n_now, 0).label("n_now"), sums.c.wv_now, sums.c.w_now, sums.c.closed_day,
               sums.c.score_at_close)
        .join(agent, agent.id == r.c.user_id).outerjoin(coach, coach.id == r.c.coach_id)
        .outerjoin(sums, sums.c.ref == r.c.ref)
        .where(or_(r.c.recorded == 1, was_a_gap))
        .order_by(r.c.at.desc(), r.c.ref)
    )


def outcome_rows(session, scope, settings, now):
    """One row per remedy of the agents of ``scope`` (("site", site id) or ("teams", [team
    ids])): who, what, when, and the sums of its cell's evidence before it and up to ``now``,
    the day the gap closed and the score then."""
    kind, ids = scope
    statement = _outcomes_statement(session.get_bind().dialect.name, kind)
    return fetch_all(session, statement, {
        **Moment.values(now, settings), "threshold": settings.threshold, "min_evidence": settings.min_evidence,
        ("site_id" if kind == "site" else "team_ids"): ids})


def _ratio(wv, w):
    return wv / w if w else None


@dataclass(frozen=True)
class Outcome:
    """One remedy and what became of its gap."""

    agent_id: int
    agent: str
    team_id: int | None
    coach_id: int | None
    coach: str | None
    topic: str
    cause: str  # the gap's dimension: knowledge | belief | support
    kind: str  # assignment | one_on_one
    target: str | None  # "quiz:<id>"..., for an assignment
    at: object  # datetime of the remedy
    recorded: bool  # False: inferred from an older assignment or 1:1
    before: float | None
    now: float | None
    at_close: float | None
    closed_at: object  # datetime, or None while the gap is open
    days_to_close: float | None
    age_days: float

    @property
    def after(self):
        """The score when the gap closed, or now while it is open."""
        return self.at_close if self.closed_at is not None else self.now

    @property
    def change(self):
        return None if self.before is None or self.after is None else self.after - self.before

    def closed_within(self, days=WINDOW_DAYS):
        return self.days_to_close is not None and self.days_to_close <= days

    def decided(self, days=WINDOW_DAYS):
        """Whether its window is over: closed within it, or open that long."""
        return self.closed_within(days) or self.age_days >= days


def outcome_of(row, now):
    """An Outcome from one of outcome_rows()."""
    before = row.score_before if row.recorded else _ratio(row.wv_before, row.w_before)
    closed_at = EPOCH + timedelta(days=row.closed_day) if row.closed_day is not None else None
    return Outcome(row.user_id, row.agent, row.team_id, row.coach_id, row.coach, row.topic, row.dimension, row.kind,
                   row.target, row.at, bool(row.recorded), before, _ratio(row.wv_now, row.w_now), row.score_at_close,
                   closed_at, None if row.closed_day is None else row.closed_day - row.day,
                   epoch_day(now) - row.day)


@dataclass
class Tally:
    """Remedies of one group: how many, how many closed, the share of those decided that closed
    within the window, the median days to close and the mean change of score."""

    remedies: int = 0
    closed: int = 0
    decided: int = 0
    within: int = 0
    days: list = field(default_factory=list)
    changes: list = field(default_factory=list)

    def add(self, outcome):
        self.remedies += 1
        if outcome.closed_at is not None:
            self.closed += 1
            self.days.append(outcome.days_to_close)
        if outcome.decided():
            self.decided += 1
            self.within += outcome.closed_within()
        change = outcome.change
        if change is not None:
            self.changes.append(change)

    @property
    def share_within(self):
        return self.within / self.decided if self.decided else None

    @property
    def median_days(self):
        return median(self.days) if self.days else None

    @property
    def mean_change(self):
        return sum(self.changes) / len(self.changes) if self.changes else None


@dataclass
class Effectiveness:
    """The page's content: every outcome, newest first, and the tallies by cause x remedy kind
    and by coach x cause."""

    settings: object
    computed_at: object
    outcomes: list
    by_kind: dict = field(default_factory=dict)  # (cause, kind) -> Tally
    by_cause: dict = field(default_factory=dict)  # cause -> Tally
    by_coach: dict = field(default_factory=dict)  # (coach id, name) -> {cause or None: Tally}


def tallied(settings, now, outcomes):
    """The Effectiveness of ``outcomes``."""
    found = Effectiveness(settings, now, outcomes)
    for outcome in outcomes:
        found.by_cause.setdefault(outcome.cause, Tally()).add(outcome)
        found.by_kind.setdefault((outcome.cause, outcome.kind), Tally()).add(outcome)
        coach = found.by_coach.setdefault((outcome.coach_id, outcome.coach or ""), {})
        coach.setdefault(outcome.cause, Tally()).add(outcome)
        coach.setdefault(None, Tally()).add(outcome)
    found.by_kind = {key: found.by_kind[key] for key in sorted(
        found.by_kind, key=lambda key: (DIMENSIONS.index(key[0]), REMEDY_KINDS.index(key[1])))}
    found.by_coach = dict(sorted(found.by_coach.items(), key=lambda item: (item[0][1] == "", item[0][1], item[0][0] or 0)))
    return found


def measure(session, scope, settings, now):
    """The Effectiveness of the remedies of the agents of ``scope`` (see outcome_rows) as of ``now``."""
    return tallied(settings, now, [outcome_of(row, now) for row in outcome_rows(session, scope, settings, now)])


def effectiveness(site_or_teams, now=None, session=None):
    """The Effectiveness of the remedies of a site's active agents (a Site) or of some teams'
    (a list of Teams, all of one site), with that site's gap settings, as of ``now``. What the
    page shows and what bench/culture.py times."""
    session = session or db.session
    if isinstance(site_or_teams, Site):
        site_id, scope = site_or_teams.id, ("site", site_or_teams.id)
    else:
        teams = list(site_or_teams)
        site_id, scope = (teams[0].site_id if teams else None), ("teams", [team.id for team in teams])
    return measure(session, scope, site_settings(session, site_id), now or utcnow())
