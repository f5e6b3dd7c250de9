"""Evidence folded into running weighted sums per agent x topic x dimension (EvidenceCell).

The database keeps the sums itself: a trigger folds every inserted evidence row into its cell
(once per statement on PostgreSQL, per row on SQLite), whichever code or import wrote it, in
the writer's transaction. rebuild() runs the same fold over all of a group's evidence, after
a site changes its half-life or a bulk load; reports as of a past day fold the evidence up
to that day on the fly with the same select. One definition, three uses.

A weight is ``0.5 ** (days before the cell's newest evidence / half-life)``: never above 1,
so nothing overflows, and a mean (sum wv / sum w) is the same whatever day it is read on."""

import math

from sqlalchemy import case, column, func, literal_column, or_, select, table, true
from sqlalchemy.dialects import postgresql, sqlite

from ..accounts.models import User
from .models import Evidence, EvidenceCell, GapSetting
from .scoring import GapSettings

LN2 = math.log(2)
#: A weight older than this many half-lives counts as nothing: it is below 1e-18 of the newest,
#: and PostgreSQL raises an error on a float that underflows rather than rounding it to 0.
FADED = 60
TINY = 1e-200
BEHAVIOUR = ("roleplay", "review")
KEY = ("user_id", "topic", "dimension")
EVIDENCE_COLUMNS = (*KEY, "value", "at_day", "source")
SUMS = ("half_life_days", "n", "last_day", "swv", "sw", "bn", "b_last_day", "bswv", "bsw")


def weight(days, half_life):
    """0.5 ** (days / half-life) in SQL: 1 for days <= 0, 0 once faded."""
    return case((days <= 0, 1.0), (days > FADED * half_life, 0.0), else_=func.exp(-LN2 * days / half_life))


def decayed(amount, days, half_life):
    """A stored sum weighed down by ``days``; sums too small to matter become 0 before they
    could underflow."""
    return case((amount < TINY, 0.0), else_=amount * weight(days, half_life))


def folded(rows):
    """One row of sums per cell of ``rows``, a selectable of evidence with columns user_id,
    topic, dimension, value, at_day, source and half_life_days."""
    key = [rows.c[name] for name in KEY]
    behaviour = rows.c.source.in_(BEHAVIOUR)
    marked = select(
        *key, rows.c.value, rows.c.at_day, rows.c.half_life_days, behaviour.label("behaviour"),
        func.max(rows.c.at_day).over(partition_by=key).label("last_day"),
        func.max(case((behaviour, rows.c.at_day))).over(partition_by=key).label("b_last_day"),
    ).subquery("marked")
    m = marked.c
    w = weight(m.last_day - m.at_day, m.half_life_days)
    b_weight = weight(m.b_last_day - m.at_day, m.half_life_days)
    return (
        select(m.user_id, m.topic, m.dimension, func.max(m.half_life_days).label("half_life_days"),
               func.count().label("n"), func.max(m.last_day).label("last_day"),
               func.sum(m.value * w).label("swv"), func.sum(w).label("sw"),
               func.count().filter(m.behaviour).label("bn"), func.max(m.b_last_day).label("b_last_day"),
               func.coalesce(func.sum(m.value * b_weight).filter(m.behaviour), 0.0).label("bswv"),
               func.coalesce(func.sum(b_weight).filter(m.behaviour), 0.0).label("bsw"))
        # SQLite needs a WHERE before GROUP BY to tell an upsert's ON CONFLICT from a join's ON.
        .where(true()).group_by(m.user_id, m.topic, m.dimension)
    )


def with_site_half_life(rows):
    """Evidence rows with the half-life of each agent's site (the default when it has none)."""
    return (
        select(*(rows.c[name] for name in EVIDENCE_COLUMNS),
               func.coalesce(GapSetting.half_life_days, GapSettings().half_life_days).label("half_life_days"))
        .select_from(rows).join(User, User.id == rows.c.user_id)
        .outerjoin(GapSetting, GapSetting.site_id == User.site_id)
        .subquery("evidence_rows")
    )


def fold_into_cells(dialect_name, rows, sums=None):
    """An upsert adding the sums of ``rows`` (or the given select of ``sums``) to the cells:
    both sets of weights are brought to the newer of the two newest days, then added."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect_name]
    statement = insert(EvidenceCell).from_select([*KEY, *SUMS], sums if sums is not None else folded(with_site_half_life(rows)))
    old, new = EvidenceCell.__table__.c, statement.excluded
    half_life = old.half_life_days
    newer, b_newer = new.last_day - old.last_day, new.b_last_day - old.b_last_day

    def added(name, gap):
        return decayed(old[name], gap, half_life) + decayed(new[name], -gap, half_life)

    return statement.on_conflict_do_update(index_elements=list(KEY), set_={
        "n": old.n + new.n,
        "last_day": case((new.last_day > old.last_day, new.last_day), else_=old.last_day),
        "swv": added("swv", newer),
        "sw": added("sw", newer),
        "bn": old.bn + new.bn,
        "b_last_day": case((or_(old.b_last_day.is_(None), new.b_last_day > old.b_last_day), new.b_last_day),
                           else_=old.b_last_day),
        "bswv": case((new.bn == 0, old.bswv), (old.bn == 0, new.bswv), else_=added("bswv", b_newer)),
        "bsw": case((new.bn == 0, old.bsw), (old.bn == 0, new.bsw), else_=added("bsw", b_newer)),
    })


def rebuild(session, users=None):
    """Fold the cells of ``users`` (a select of ids; everyone when None) again from their evidence."""
    evidence = select(Evidence.__table__)
    cells = EvidenceCell.__table__.delete()
    if users is not None:
        evidence = evidence.where(Evidence.user_id.in_(users))
        cells = cells.where(EvidenceCell.user_id.in_(users))
    session.execute(cells)
    session.execute(fold_into_cells(session.get_bind().dialect.name, evidence.subquery("evidence")))


# -- the triggers -------------------------------------------------------------------------


def _sql(statement, dialect):
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def trigger_ddl(dialect):
    """The statements that make the database fold each new evidence row into its cell."""
    if dialect.name == "postgresql":
        new_rows = table("new_rows", *(column(name) for name in EVIDENCE_COLUMNS))
        fold = _sql(fold_into_cells("postgresql", new_rows), dialect)
        return [
            "CREATE OR REPLACE FUNCTION lms_fold_evidence() RETURNS trigger LANGUAGE plpgsql AS $fold$ "
            f"BEGIN {fold}; RETURN NULL; END $fold$",
            "CREATE TRIGGER lms_evidence_fold AFTER INSERT ON lms_evidence REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION lms_fold_evidence()",
        ]
    # One row at a time: its own sums, without the window and grouping a set needs.
    new = {name: literal_column(f"NEW.{name}") for name in EVIDENCE_COLUMNS}
    behaviour = new["source"].in_(BEHAVIOUR)
    half_life = (select(GapSetting.half_life_days).join(User, User.site_id == GapSetting.site_id)
                 .where(User.id == new["user_id"]).scalar_subquery())
    one_row = select(
        *(new[name] for name in KEY), func.coalesce(half_life, GapSettings().half_life_days), literal_column("1"),
        new["at_day"], new["value"], literal_column("1.0"), case((behaviour, 1), else_=0), case((behaviour, new["at_day"])),
        case((behaviour, new["value"]), else_=0.0), case((behaviour, 1.0), else_=0.0),
    ).where(true())
    fold = _sql(fold_into_cells("sqlite", None, one_row), dialect)
    return [f"CREATE TRIGGER lms_evidence_fold AFTER INSERT ON lms_evidence FOR EACH ROW BEGIN {fold}; END"]


def drop_trigger_ddl(dialect):
    statements = ["DROP TRIGGER IF EXISTS lms_evidence_fold" + (" ON lms_evidence" if dialect.name == "postgresql" else "")]
    if dialect.name == "postgresql":
        statements.append("DROP FUNCTION IF EXISTS lms_fold_evidence()")
    return statements
