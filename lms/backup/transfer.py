"""Backup, restore and copy-data: the plugin's rows moved between a database and an archive
or another database, by the same reader and writer. A target is filled in one transaction, so
a failure leaves it as it was."""

from contextlib import contextmanager

from ..db import utcnow
from ..migrate import current_revision, head_revision, known_revision, migrate_to, upgrade
from .archive import Archive, ArchiveError, write_archive
from .tables import (
    database_tables, delete_all, has_rows, plugin_tables, read_rows, reset_sequences, transaction, triggers_paused,
    write_rows,
)


def _quiet(_line):
    pass


@contextmanager
def snapshot(engine):
    """A connection that sees every table as at one moment, while the site goes on writing."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            # pysqlite starts no transaction for reads; in WAL mode one read transaction is a snapshot.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _source_revision(connection):
    revision, head = current_revision(connection), head_revision()
    if revision != head:
        raise ArchiveError(f"The site's database is at revision {revision}, this code at {head}: "
                           "run `flask lms migrate` first.")
    return revision


def backup(engine, path, echo=_quiet):
    """Write every plugin table to the archive at ``path``; its manifest."""
    with snapshot(engine) as connection:
        revision = _source_revision(connection)
        return write_archive(path, revision, utcnow(), plugin_tables(),
                             lambda table: read_rows(connection, table), echo)


def restore(engine, path, replace=False, echo=_quiet):
    """Fill ``engine``'s database from the archive at ``path``, then bring it up to this code's
    revision; {table: rows}."""
    with Archive(path) as archive:
        if not known_revision(archive.revision):
            raise ArchiveError(f"{path} was made by a newer CX Academy (its revision {archive.revision} is unknown "
                               f"here; this code is at {head_revision()}): upgrade CX Academy first.")
        archive.check()
        counts = fill(engine, archive.revision, archive.tables, archive.rows, replace, echo)
    if archive.revision != head_revision():
        with engine.begin() as connection:
            upgrade("head", connection)
    return counts


def copy_data(source, target, replace=False, echo=_quiet):
    """Copy every plugin table from the ``source`` engine's database to ``target``'s; {table: rows}."""
    if source.url.render_as_string(hide_password=False) == target.url.render_as_string(hide_password=False):
        raise ArchiveError("The target is the site's own database.")
    tables = {table.name: table for table in plugin_tables()}
    with snapshot(source) as connection:
        revision = _source_revision(connection)
        return fill(target, revision, tables, lambda name: read_rows(connection, tables[name]), replace, echo)


def prepare(engine, revision, replace):
    """Refuse a target that holds data (unless ``replace``) or holds it at another revision;
    bring an empty one to ``revision``."""
    with engine.begin() as connection:
        current = current_revision(connection)
        holding = [table.name for table in database_tables(connection) if has_rows(connection, table)]
        if holding and not replace:
            raise ArchiveError(f"The target database already holds CX Academy data ({len(holding)} tables have "
                               "rows); give --replace to replace it.")
        if holding and current != revision:
            raise ArchiveError(f"The target database holds data at revision {current}, the source is at {revision}: "
                               "use an empty database.")
        if current != revision:
            migrate_to(revision, connection)


def fill(engine, revision, names, rows_of, replace=False, echo=_quiet):
    """Write ``rows_of(name)`` for each table in ``names`` into ``engine``'s database, parents
    first, in one transaction; {table: rows}."""
    prepare(engine, revision, replace)
    counts = {}
    with transaction(engine) as connection:
        present = database_tables(connection)
        tables = [table for table in present if table.name in names]
        if {table.name for table in present} != set(names):
            raise ArchiveError("The target's tables are not the source's: "
                               f"{sorted(set(names) ^ {table.name for table in present})}.")
        if replace:
            delete_all(connection, present)
        with triggers_paused(connection, tables):
            for table in tables:
                counts[table.name] = write_rows(connection, table, rows_of(table.name))
                echo(f"  {table.name}: {counts[table.name]}")
        reset_sequences(connection, tables)
    return counts
