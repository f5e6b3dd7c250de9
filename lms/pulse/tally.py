"""Counting a pulse's answers so that the rows say nothing of who gave them.

A receipt (who answered) and the counts (what was answered) are written in one transaction, so
a second answer stops before anything is counted. Counts alone are not enough: how rows are
written can tell one answer from the others. So, for a group (a team, or a site's coaches) and
period:

- every row (each statement x each answer 1-5) is written at the group's first answer, with a
  count of 0, in one statement and in the file's order. Rows made only for the values chosen
  would show, by their ids or place in the table, exactly what the first respondent answered
  (and, later, whoever first chose a value); the receipt's id says who was first.
- every answer rewrites every row of the group (count + 1 or + 0) in one statement. Updating
  only the rows chosen would mark them as written by the receipt's transaction: PostgreSQL's
  ``xmin`` (the writing transaction, readable by any query) of the receipt and of those rows
  would be equal, and a row's place in the heap moves when it is updated. Rewriting them all
  leaves every row of the group the same mark, whatever was chosen.
- no time is stored with a count, and receipts hold the period, not a moment.

What remains is inherent to counting as answers arrive: someone able to read the tables between
two answers sees the counts move. Pages therefore show only ended periods and groups of 5 or
more respondents; the README says what this does and does not protect."""

from sqlalchemy import and_, case, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .. import db

LIKERT = range(1, 6)


class AlreadyAnswered(Exception):
    """This period's pulse was answered already (another tab, a double click)."""


def record(receipt, tally, group, items, facet, responses):
    """Add ``receipt`` and count ``responses`` (item id -> 1..5, or None when left out) into
    ``tally``'s rows of ``group`` (column -> value), in one transaction. ``facet`` is the column
    (and item attribute) the report groups by: topic or lens."""
    db.session.add(receipt)
    try:
        db.session.flush()  # a second answer for the period stops here, before anything is counted
        _ensure_rows(tally, group, items, facet)
        chosen = [and_(tally.item_id == item_id, tally.answer == value)
                  for item_id, value in responses.items() if value is not None]
        added = case(*[(condition, 1) for condition in chosen], else_=0) if chosen else literal(0)
        db.session.execute(update(tally).where(*_in_group(tally, group)).values(count=tally.count + added)
                           .execution_options(synchronize_session=False))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered(receipt.user_id) from None


def _ensure_rows(tally, group, items, facet):
    """Every row of the group at count 0, once. After the receipt's flush the writer holds
    SQLite's write lock, so the check cannot race there; on PostgreSQL a race meets the unique
    constraint and does nothing."""
    if db.session.scalar(select(tally.id).where(*_in_group(tally, group)).limit(1)) is not None:
        return
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[db.session.get_bind().dialect.name]
    rows = [{**group, "item_id": item.id, facet: getattr(item, facet), "reversed": item.reversed, "answer": value,
             "count": 0} for item in items for value in LIKERT]
    db.session.execute(insert(tally).values(rows).on_conflict_do_nothing())


def _in_group(tally, group):
    return [getattr(tally, column) == value for column, value in group.items()]
