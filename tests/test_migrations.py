"""Migrations build the schema from empty on this engine and match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms import db
from lms.db import Base
from lms.migrate import downgrade, include_name, upgrade


def lms_tables(engine):
    return {name for name in inspect(engine).get_table_names() if name.startswith("lms_")}


def test_migrations_run_from_empty_and_match_the_models(app):
    with app.app_context():
        engine = db.session.get_bind()
        db.session.remove()
        downgrade("base")
        assert lms_tables(engine) == {"lms_alembic_version"}
        upgrade()
        assert lms_tables(engine) == set(Base.metadata.tables) | {"lms_alembic_version"}
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_name": include_name,
                                                                   "compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
