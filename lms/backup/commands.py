"""``flask lms backup FILE``, ``flask lms restore FILE`` and ``flask lms copy-data --to URL``."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import create_engine, event
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..db import sqlite_pragmas, with_driver
from ..cli_group import lms_cli
from .archive import ArchiveError
from .transfer import backup, copy_data, restore


def _engine():
    return current_app.extensions["sqlalchemy"].engine


def _summary(verb, counts):
    click.echo(f"{verb} {sum(counts.values())} rows in {len(counts)} tables.")


def _run(action, *args, **kwargs):
    """``action``'s result; a refusal or a database error as a message, with nothing changed."""
    try:
        return action(*args, **kwargs)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from None
    except SQLAlchemyError as error:
        raise click.ClickException(f"Nothing was written; the database said: {getattr(error, 'orig', None) or error}"
                                   ) from None


@lms_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(file):
    """Write every CX Academy table to FILE (a zip that any engine can restore). It holds password
    hashes and signing keys: keep it as secret as the database."""
    manifest = _run(backup, _engine(), file, echo=click.echo)
    _summary("Backed up", {table["name"]: table["rows"] for table in manifest["tables"]})
    click.echo(f"Written to {file} (revision {manifest['revision']}).")


@lms_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace the CX Academy data the database holds now.")
@with_appcontext
def restore_command(file, replace):
    """Fill the configured database from a backup FILE, all or nothing."""
    _summary("Restored", _run(restore, _engine(), file, replace=replace, echo=click.echo))


@lms_cli.command("copy-data")
@click.option("--to", "url", required=True, help="The target database URL, e.g. postgresql://user@host/db.")
@click.option("--replace", is_flag=True, help="Replace the CX Academy data the target holds now.")
@with_appcontext
def copy_data_command(url, replace):
    """Copy every CX Academy table from the configured database to another (a pilot on SQLite
    moving to PostgreSQL), all or nothing."""
    try:
        target = create_engine(with_driver(url))
    except (ArgumentError, ImportError) as error:
        raise click.ClickException(f"That database URL cannot be used: {error}") from None
    if target.dialect.name == "sqlite":
        event.listen(target, "connect", sqlite_pragmas)
    try:
        _summary("Copied", _run(copy_data, _engine(), target, replace=replace, echo=click.echo))
    finally:
        target.dispose()
