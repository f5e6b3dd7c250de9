"""Bring the plugin's tables up to date with its Alembic migrations, in any host app."""

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = str(Path(__file__).parent / "migrations")
#: Alembic's bookkeeping table for the plugin, apart from any host's ``alembic_version``.
VERSION_TABLE = "lms_alembic_version"


def include_name(name, type_, _parent_names):
    """Autogenerate and comparisons look at the plugin's own tables only."""
    return type_ != "table" or (name.startswith("lms_") and name != VERSION_TABLE)


def alembic_config():
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def upgrade(revision="head"):
    """Apply migrations; call inside an app context."""
    command.upgrade(alembic_config(), revision)


def downgrade(revision):
    """Undo migrations down to ``revision`` ("base" removes every plugin table)."""
    command.downgrade(alembic_config(), revision)
