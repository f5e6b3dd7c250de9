"""Alembic environment for the plugin's own tables (lms_*), kept apart from a host's:
its own version table, and autogenerate looks only at lms_ tables."""

from alembic import context
from flask import current_app

import lms.accounts.models  # noqa: F401  (register the models on Base.metadata)
import lms.audit.models  # noqa: F401
import lms.credentials.models  # noqa: F401
import lms.effect.models  # noqa: F401
import lms.evidence.models  # noqa: F401
import lms.gaps.models  # noqa: F401
import lms.item_analysis.models  # noqa: F401
import lms.keys.models  # noqa: F401
import lms.learning.models  # noqa: F401
import lms.lti.models  # noqa: F401
import lms.outbox.models  # noqa: F401
import lms.pulse.models  # noqa: F401
import lms.roleplays.models  # noqa: F401
import lms.selfreview.models  # noqa: F401
import lms.xapi.models  # noqa: F401
from lms.db import Base
from lms.migrate import VERSION_TABLE, include_name


def run_migrations(connection):
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


# A caller may hand its own connection (another database than the app's: flask lms copy-data),
# and commits it itself.
if context.config.attributes.get("connection") is not None:
    run_migrations(context.config.attributes["connection"])
else:
    with current_app.extensions["sqlalchemy"].engine.connect() as app_connection:
        run_migrations(app_connection)
