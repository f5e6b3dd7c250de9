"""The plugin's own declarative base and the way to reach the host's session.

Flask-SQLAlchemy allows one ``SQLAlchemy`` object per app, so the plugin never creates a
second one: its models use this ``Base`` (tables named ``lms_*``) and every query goes through
the session of whatever Flask-SQLAlchemy instance the app already has."""

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import DateTime, MetaData, bindparam, event, func, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.functions import FunctionElement
from werkzeug.local import LocalProxy

# Named constraints, so Alembic migrations can drop and alter them on every engine.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _session():
    return current_app.extensions["sqlalchemy"].session


#: The host application's scoped session.
session = LocalProxy(_session)


def add_or_get(row, existing):
    """Insert ``row``; if a unique constraint says a concurrent request inserted its twin
    first, roll back and return ``existing()`` instead. The database decides, not a check."""
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return existing()
    return row


def insert_or_get(row, existing):
    """``add_or_get`` inside the caller's transaction (a savepoint instead of a commit): the
    row, or ``existing()`` when a unique constraint says a twin was there first."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return existing()
    return row


def upsert(model, values, keys, update=(), where=None):
    """INSERT ... ON CONFLICT on both engines, in the caller's transaction: a row that exists
    by ``keys`` (a unique constraint) is left as it is, or has the ``update`` columns set from
    ``values`` (only where ``where(excluded)`` holds, if given: ``excluded`` is the row that
    was refused). ``values``: a row, or a list of rows with distinct keys. Running it twice
    changes nothing.

    One statement of one row's parameters, executed for each row (psycopg sends them in one
    pipeline): a multi-row VALUES of many parameters would be parsed afresh on every call and
    never prepared."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    statement = insert(model)
    if update:
        where = where(statement.excluded) if where is not None else None
        statement = statement.on_conflict_do_update(index_elements=list(keys), where=where,
                                                    set_={column: statement.excluded[column] for column in update})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    return session.execute(statement, values if isinstance(values, list) else [values])


def contains(column, text):
    """Case-insensitive "``column`` contains ``text``" for search boxes, with LIKE's own
    ``%`` and ``_`` taken as the characters typed."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def utcnow():
    """Naive UTC now: SQLite keeps no time zone, so every timestamp is stored as UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class later(FunctionElement):
    """``later(column, timedelta)``: a timestamp column moved on, on every engine. SQLite keeps
    timestamps as text, where ``column + interval`` silently compares as a number."""

    type = DateTime()
    inherit_cache = True
    name = "later"

    def __init__(self, column, delta):
        """``delta``: a timedelta, or its seconds as SQL (a bound parameter)."""
        super().__init__(column, literal(delta.total_seconds()) if isinstance(delta, timedelta) else delta)


@compiles(later)
def _later(element, compiler, **kw):
    column, seconds = (compiler.process(c, **kw) for c in element.clauses)
    return f"({column} + {seconds} * INTERVAL '1 second')"


@compiles(later, "sqlite")
def _later_sqlite(element, compiler, **kw):
    column, seconds = (compiler.process(c, **kw) for c in element.clauses)
    # strftime keeps the fraction of a second, so the text compares like SQLAlchemy stores it.
    return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '+' || {seconds} || ' seconds')"


_BINARY = "lms_binary_results"


def _execute_binary(cursor, statement, parameters, context):
    """psycopg decodes numbers sent in binary about twice as fast as in text."""
    if context.execution_options.get(_BINARY):
        cursor.execute(statement, parameters, binary=True)
        return True
    return False


_WROTE = "lms_wrote"


def _note_write(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


def _forget_writes(conn):
    conn.info.pop(_WROTE, None)


def track_writes(engine):
    """Note on each connection whether its transaction has run anything but SELECTs."""
    if not event.contains(engine, "before_cursor_execute", _note_write):
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "begin", _forget_writes)


def end_read_only_transaction(exc=None):
    """Teardown of a request: a transaction that only read is committed rather than left to
    the session's rollback. The same for the data, but psycopg forgets the statements it has
    prepared at every ROLLBACK (and deallocates them on the server), so without this every
    request would have PostgreSQL plan its statements again: the gap statements take ~3 ms to
    plan and under 1 ms to run. Anything written, pending or failed is still rolled back."""
    current = session()
    if exc is not None or not current.in_transaction() or current.new or current.dirty or current.deleted:
        return
    connection = current.connection()
    if connection.info.get(_WROTE):
        return
    # On the driver's connection: the session's own commit would first expire every object it
    # loaded, for nothing (it is closed next); its closing ROLLBACK then finds no transaction
    # open and sends nothing. Should the COMMIT fail, that ROLLBACK is the ending, as before.
    try:
        connection.connection.dbapi_connection.commit()
    except connection.dialect.loaded_dbapi.Error:
        pass


def param(name, type_):
    """A bound parameter a statement built once (and cached) must be given a value for at
    every execution."""
    return bindparam(name, type_=type_, required=True)


def fetch_all(on, statement, parameters=None):
    """All rows of a large read of plain values (ids, names, numbers), on the session ``on``'s
    connection without the ORM's per-row work; on PostgreSQL the rows travel in binary."""
    connection = on.connection()
    if connection.dialect.driver == "psycopg":
        if not event.contains(connection.engine, "do_execute", _execute_binary):
            event.listen(connection.engine, "do_execute", _execute_binary)
        connection = connection.execution_options(**{_BINARY: True})
    return connection.execute(statement, parameters).all()


def with_driver(url):
    """``postgresql://`` URLs use psycopg 3, the driver this package installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, and let several workers read while one writes (WAL)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
