"""Rows of the plugin's tables read and written the same way on every engine.

A row travels as a dict of plain Python values (datetime, date, bytes, Decimal, str, numbers,
booleans) with one exception: a JSON column carries the JSON text itself, or None for SQL NULL,
so that a JSON ``null`` and SQL NULL stay apart (both read back as None through the JSON type)."""

import json
from contextlib import contextmanager
from itertools import islice

from sqlalchemy import (
    JSON, Boolean, Date, DateTime, Float, Integer, LargeBinary, MetaData, Numeric, Text, bindparam, cast, exists,
    func, inspect, null, select, text,
)

from ..db import Base
from ..migrate import VERSION_TABLE

BATCH = 1000

#: The kinds of value an archive encodes explicitly; every other column holds plain JSON values.
KINDS = ((JSON, "json"), (DateTime, "datetime"), (Date, "date"), (LargeBinary, "bytes"), (Float, "float"),
         (Numeric, "decimal"), (Boolean, "bool"), (Integer, "int"))


def kind_of(column):
    for type_, kind in KINDS:  # Float before Numeric: it is one
        if isinstance(column.type, type_):
            return kind
    return "text"


def plugin_tables():
    """Every plugin table, parents before children."""
    return Base.metadata.sorted_tables


def database_tables(connection, names=None):
    """The plugin tables as the database has them (its revision may be older than the code's),
    parents before children; only ``names`` when given."""
    metadata = MetaData()
    present = [name for name in inspect(connection).get_table_names()
               if name.startswith("lms_") and name != VERSION_TABLE and (names is None or name in names)]
    metadata.reflect(connection, only=present)
    return metadata.sorted_tables


def read_rows(connection, table):
    """The rows of ``table`` in primary-key order, streamed (a server-side cursor on PostgreSQL)."""
    columns = [cast(c, Text).label(c.name) if kind_of(c) == "json" else c for c in table.columns]
    result = connection.execute(select(*columns).order_by(*table.primary_key.columns)
                                .execution_options(yield_per=BATCH))
    for row in result.mappings():
        yield dict(row)


def write_rows(connection, table, rows):
    """Insert ``rows`` into ``table`` in batches; the number written. A column that points into
    its own table (a certificate's successor) may point to a row written later: the row first
    points to itself (as the app does: not null, so partial unique indexes see it as it is),
    and is set right once the table is written."""
    json_columns = [c.name for c in table.columns if kind_of(c) == "json"]
    own = {fk.parent.name: fk.column.name for fk in table.foreign_keys if fk.column.table.name == table.name}
    key = [c.name for c in table.primary_key.columns]
    later, written, rows = [], 0, iter(rows)
    while batch := list(islice(rows, BATCH)):
        for row in batch:
            for name in json_columns:
                row[name] = null() if row[name] is None else json.loads(row[name])
            if any(row[name] not in (None, row[target]) for name, target in own.items()):
                later.append({**{f"k_{name}": row[name] for name in key}, **{f"v_{name}": row[name] for name in own}})
                row.update({name: row[target] for name, target in own.items() if row[name] is not None})
        connection.execute(table.insert(), batch)
        written += len(batch)
    if later:
        where = [table.c[name] == bindparam(f"k_{name}") for name in key]
        connection.execute(table.update().where(*where).values({name: bindparam(f"v_{name}") for name in own}),
                           later)
    return written


def has_rows(connection, table):
    return connection.scalar(select(exists().select_from(table)))


def delete_all(connection, tables):
    for table in reversed(tables):
        connection.execute(table.delete())


@contextmanager
def transaction(engine):
    """``engine.begin()``, with SQLite's BEGIN said at once: pysqlite says it only before the
    first INSERT, UPDATE or DELETE, and would leave what comes before (a trigger dropped by
    triggers_paused) outside the transaction."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


@contextmanager
def triggers_paused(connection, tables):
    """Database triggers off while rows are written: the rows already hold what they would
    make (the evidence trigger's running sums), and would otherwise count twice."""
    names = [table.name for table in tables]
    if connection.dialect.name == "postgresql":
        # Only the plugin's own triggers (USER leaves the foreign-key checks on); ALTER TABLE
        # is part of the transaction, so a failure turns them back on too.
        with_triggers = connection.scalars(text(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname = ANY(:names)"), {"names": names}).all()
        for name in with_triggers:
            connection.exec_driver_sql(f'ALTER TABLE "{name}" DISABLE TRIGGER USER')
        yield
        for name in with_triggers:
            connection.exec_driver_sql(f'ALTER TABLE "{name}" ENABLE TRIGGER USER')
        return
    triggers = connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN :names")
        .bindparams(bindparam("names", expanding=True)), {"names": names}).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


def reset_sequences(connection, tables):
    """PostgreSQL: each id sequence moved past the largest id written, so new rows get fresh
    ids. (SQLite takes the next id from the table itself.)"""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer):
            continue
        sequence = connection.scalar(select(func.pg_get_serial_sequence(table.name, key[0].name)))
        if sequence is not None:
            connection.execute(select(func.setval(sequence, func.coalesce(func.max(key[0]), 0) + 1, False))
                               .select_from(table))
