"""Evidence folded into running weighted sums per agent x topic x dimension (EvidenceCell).

The database keeps the sums itself: a trigger folds every inserted evidence row into its cell,
whichever code or import wrote it, in the writer's transaction. rebuild() folds all of a
group's evidence again (nightly, and when a site changes its half-life); reports as of a past
day fold the evidence up to that day on the fly with the same select.

Each cell holds three sets of sums: all its evidence; the part role-plays and coach reviews
showed (behaviour); and the part *settled* by ``settled_day`` (evidence at least one period
old when the cell was last folded), from which a report takes the score one period ago. A
weight is ``0.5 ** (days before the set's newest evidence / half-life)``: never above 1, so
nothing overflows, and a mean (sum wv / sum w) is the same whatever day it is read on."""

import math

from sqlalchemy import and_, case, func, literal, literal_column, or_, select, text, true
from sqlalchemy.dialects import postgresql, sqlite

from ..accounts.models import User
from ..db import utcnow
from ..evidence import Evidence, epoch_day
from .models import EvidenceCell, GapSetting
from .scoring import GapSettings

LN2 = math.log(2)
#: A weight older than this many half-lives counts as nothing: it is below 1e-18 of the newest,
#: and PostgreSQL raises an error on a float that underflows rather than rounding it to 0.
FADED = 60
TINY = 1e-200
BEHAVIOUR = ("roleplay", "review")
KEY = ("user_id", "topic", "dimension")
EVIDENCE_COLUMNS = (*KEY, "value", "at_day", "source")
#: A cell's settled part stops this long before its newest evidence was one period old, so that
#: clocks a little apart between machines never settle evidence a report still counts as recent.
SETTLING_MARGIN_DAYS = 1
PERIOD_DAYS = GapSettings().period_days
#: Today as days since 1970 by the database's clock: a new cell settles what is a period old.
DATABASE_DAY = {"sqlite": "(julianday('now') - 2440587.5)", "postgresql": "(extract(epoch FROM now()) / 86400.0)"}
#: The sets of sums a cell holds: ("" all, "b" behaviour, "p" settled) x (n, last day, wv, w).
PARTS = ("", "b", "p")


def names(part):
    """The columns of one set of sums: n, newest day, sum of value x weight, sum of weights."""
    return (f"{part}n", f"{part}_last_day" if part else "last_day", f"{part}swv", f"{part}sw")


SUMS = ("half_life_days", "settled_day", *(name for part in PARTS for name in names(part)))


def weight(days, half_life):
    """0.5 ** (days / half-life) in SQL: 1 for days <= 0, 0 once faded."""
    return case((days <= 0, 1.0), (days > FADED * half_life, 0.0), else_=func.exp(-LN2 * days / half_life))


def decayed(amount, days, half_life):
    """A stored sum weighed down by ``days``; sums too small to matter become 0 before they
    could underflow."""
    return case((amount < TINY, 0.0), else_=amount * weight(days, half_life))


def settled_day(now):
    """The settled day of cells folded at ``now``."""
    return epoch_day(now) - PERIOD_DAYS - SETTLING_MARGIN_DAYS


def folded(rows):
    """One row of sums per cell of ``rows``: a selectable of evidence with columns user_id,
    topic, dimension, value, at_day, source, half_life_days and settled_day."""
    key = [rows.c[name] for name in KEY]
    chosen = {"": None, "b": rows.c.source.in_(BEHAVIOUR), "p": rows.c.at_day <= rows.c.settled_day}
    marked = select(
        *key, rows.c.value, rows.c.at_day, rows.c.half_life_days, rows.c.settled_day,
        *(condition.label(f"in_{part}") for part, condition in chosen.items() if condition is not None),
        *(func.max(rows.c.at_day if condition is None else case((condition, rows.c.at_day)))
          .over(partition_by=key).label(names(part)[1]) for part, condition in chosen.items()),
    ).subquery("marked")
    m = marked.c

    def sums(part):
        n, last, swv, sw = names(part)
        w = weight(m[last] - m.at_day, m.half_life_days)
        if not part:
            return (func.count().label(n), func.max(m[last]).label(last),
                    func.sum(m.value * w).label(swv), func.sum(w).label(sw))
        member = m[f"in_{part}"]
        return (func.count().filter(member).label(n), func.max(m[last]).label(last),
                func.coalesce(func.sum(m.value * w).filter(member), 0.0).label(swv),
                func.coalesce(func.sum(w).filter(member), 0.0).label(sw))

    return (
        select(m.user_id, m.topic, m.dimension, func.max(m.half_life_days).label("half_life_days"),
               func.max(m.settled_day).label("settled_day"), *(column for part in PARTS for column in sums(part)))
        .group_by(m.user_id, m.topic, m.dimension)
    )


def _site_half_life(user_id):
    """The half-life of the agent's site (the default when it has none), as a scalar subquery."""
    chosen = (select(GapSetting.half_life_days).join(User, User.site_id == GapSetting.site_id)
              .where(User.id == user_id).scalar_subquery())
    return func.coalesce(chosen, GapSettings().half_life_days)


def rebuild(session, users=None):
    """Fold the cells of ``users`` (a select of ids; everyone when None) again from their
    evidence, settled as of now."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # Evidence written meanwhile waits: its trigger would otherwise create a cell this
        # statement is about to insert.
        session.execute(text("LOCK TABLE lms_evidence_cell IN EXCLUSIVE MODE"))
    evidence = select(*(Evidence.__table__.c[name] for name in EVIDENCE_COLUMNS),
                      _site_half_life(Evidence.user_id).label("half_life_days"),
                      literal(settled_day(utcnow())).label("settled_day"))
    cells = EvidenceCell.__table__.delete()
    if users is not None:
        evidence = evidence.where(Evidence.user_id.in_(users))
        cells = cells.where(EvidenceCell.user_id.in_(users))
    session.execute(cells)
    session.execute(EvidenceCell.__table__.insert().from_select([*KEY, *SUMS], folded(evidence.subquery("evidence"))))


# -- the trigger: one new row folded into its cell ----------------------------------------

def _fold_one_row(dialect_name):
    """The upsert a trigger runs for each new evidence row (NEW): a cell of its own when it is
    the cell's first (settled as of the database's today), else added to the cell's sums, to
    its behaviour's when it is behaviour, and to its settled part when it is older than the
    cell's settled day (an import of history)."""
    new = {name: literal_column(f"NEW.{name}") for name in EVIDENCE_COLUMNS}
    behaviour = new["source"].in_(BEHAVIOUR)
    settled = literal_column(DATABASE_DAY[dialect_name]) - (PERIOD_DAYS + SETTLING_MARGIN_DAYS)
    first = {"half_life_days": _site_half_life(new["user_id"]), "settled_day": settled,
             "n": literal_column("1"), "last_day": new["at_day"], "swv": new["value"], "sw": literal_column("1.0")}
    for part, joins in (("b", behaviour), ("p", new["at_day"] <= settled)):
        n, last, swv, sw = names(part)
        first.update({n: case((joins, 1), else_=0), last: case((joins, new["at_day"])),
                      swv: case((joins, new["value"]), else_=0.0), sw: case((joins, 1.0), else_=0.0)})
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect_name]
    statement = insert(EvidenceCell).from_select(
        [*KEY, *SUMS], select(*(new[name] for name in KEY), *(first[name] for name in SUMS)).where(true()))
    old, row = EvidenceCell.__table__.c, statement.excluded
    half_life = old.half_life_days

    def add(part, joins):
        """The new row (its sums as a cell of its own) added to ``part`` of the old cell when ``joins``."""
        n, last, swv, sw = names(part)
        gap = row.last_day - old[last]
        merged = {
            n: old[n] + case((joins, 1), else_=0),
            last: case((and_(joins, or_(old[last].is_(None), row.last_day > old[last])), row.last_day),
                       else_=old[last]),
        }
        for total, own in ((swv, row.swv), (sw, row.sw)):
            merged[total] = case((~joins, old[total]), (old[n] == 0, own),
                                 else_=decayed(old[total], gap, half_life) + decayed(own, -gap, half_life))
        return merged

    return statement.on_conflict_do_update(index_elements=list(KEY), set_={
        **add("", true()), **add("b", behaviour), **add("p", row.last_day <= old.settled_day)})


def _sql(statement, dialect):
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def trigger_ddl(dialect):
    """The statements that make the database fold each new evidence row into its cell."""
    fold = _sql(_fold_one_row(dialect.name), dialect)
    if dialect.name == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION lms_fold_evidence() RETURNS trigger LANGUAGE plpgsql AS $fold$ "
            f"BEGIN {fold}; RETURN NULL; END $fold$",
            "CREATE TRIGGER lms_evidence_fold AFTER INSERT ON lms_evidence "
            "FOR EACH ROW EXECUTE FUNCTION lms_fold_evidence()",
        ]
    return [f"CREATE TRIGGER lms_evidence_fold AFTER INSERT ON lms_evidence FOR EACH ROW BEGIN {fold}; END"]


def drop_trigger_ddl(dialect):
    if dialect.name == "postgresql":
        return ["DROP TRIGGER IF EXISTS lms_evidence_fold ON lms_evidence", "DROP FUNCTION IF EXISTS lms_fold_evidence()"]
    return ["DROP TRIGGER IF EXISTS lms_evidence_fold"]
