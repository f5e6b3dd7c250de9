"""What the benchmarks share: a fresh database built by the plugin's migrations, and timing."""

import time

from sqlalchemy import text

from lms import create_app
from lms import db
from lms.db import Base
from lms.migrate import upgrade


def fresh_app(url, **config):
    """The standalone app on ``url``, its plugin tables dropped and migrated from empty; call
    inside ``with app.app_context()`` afterwards to use it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, **config})
    with app.app_context():
        engine = db.session.get_bind()
        Base.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS lms_alembic_version"))
        upgrade()
    return app


def settle(engine):
    """A site's database in steady state after a bulk build: SQLite has folded its write-ahead
    log back into the file (it checkpoints as it goes), PostgreSQL's autovacuum has cleared the
    row versions the build's trigger updates left behind; both have fresh statistics."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("VACUUM ANALYZE"))


def timed(label, fn, repeat=3):
    """Best of ``repeat`` runs, in seconds, and the last run's result."""
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(f"  {label}: {best:.3f} s (best of {repeat})")
    return best, result
