"""Bring the plugin's tables up to date with its Alembic migrations, in any host app."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError

MIGRATIONS = str(Path(__file__).parent / "migrations")
#: Alembic's bookkeeping table for the plugin, apart from any host's ``alembic_version``.
VERSION_TABLE = "lms_alembic_version"


def include_name(name, type_, _parent_names):
    """Autogenerate and comparisons look at the plugin's own tables only."""
    return type_ != "table" or (name.startswith("lms_") and name != VERSION_TABLE)


def alembic_config(connection=None):
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def upgrade(revision="head", connection=None):
    """Apply migrations; call inside an app context. With ``connection``, on its database
    instead of the app's, in its transaction: the caller commits."""
    command.upgrade(alembic_config(connection), revision)


def downgrade(revision, connection=None):
    """Undo migrations down to ``revision`` ("base" removes every plugin table)."""
    command.downgrade(alembic_config(connection), revision)


def current_revision(connection):
    """The plugin's revision in ``connection``'s database; None before its first migration."""
    return MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_revision()


def head_revision():
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revision(revision):
    """Whether this code has the migration ``revision`` (an archive from newer code has not)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def migrate_to(revision, connection):
    """Move ``connection``'s plugin tables to ``revision``, up or down."""
    current = current_revision(connection)
    script = ScriptDirectory.from_config(alembic_config())
    older = current is not None and revision in {r.revision for r in script.iterate_revisions(current, "base")}
    (downgrade if older else upgrade)(revision, connection)
