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
