"""The plugin's own declarative base and the way to reach the host's session.

Flask-SQLAlchemy allows one ``SQLAlchemy`` object per app, so the plugin never creates a
second one: its models use this ``Base`` (tables named ``lms_*``) and every query goes through
the session of whatever Flask-SQLAlchemy instance the app already has."""

from datetime import datetime, timezone

from flask import current_app
from sqlalchemy import MetaData
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase
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


def utcnow():
    """Naive UTC now: SQLite keeps no time zone, so every timestamp is stored as UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
