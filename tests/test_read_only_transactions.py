"""A request that only read ends its transaction with COMMIT: the same for the data as the
session's ROLLBACK, but psycopg forgets its prepared statements at every ROLLBACK, so
PostgreSQL would plan every statement of every page again. Anything written and not
committed, pending or failed is still rolled back."""

import pytest
from sqlalchemy import event, func, insert, select, text

from lms import db
from lms.accounts.models import Site
from lms.db import end_read_only_transaction

from .conftest import signed_in


def _driver_in_transaction(dbapi_connection):
    info = getattr(dbapi_connection, "info", None)  # psycopg's; sqlite3 says in_transaction
    if info is not None and hasattr(info, "transaction_status"):
        return info.transaction_status != info.transaction_status.IDLE
    return dbapi_connection.in_transaction


@pytest.fixture
def endings(app):
    """How each transaction ended on the database: "commit" when the session's closing
    rollback found it already committed, "rollback" when that rollback ended it."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    seen = []

    def commit(_conn):
        seen.append("commit")

    def rollback(conn):
        seen.append("rollback" if _driver_in_transaction(conn.connection.dbapi_connection) else "commit")

    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    yield seen
    event.remove(engine, "commit", commit)
    event.remove(engine, "rollback", rollback)


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite opens no transaction to read: nothing to end")


def _sites(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Site))


def test_a_page_that_only_reads_commits(app, make_user, endings, postgresql):
    make_user("sara")
    client = signed_in(app, "sara")
    endings.clear()
    assert client.get("/").status_code == 200
    assert endings == ["commit"]


def test_a_write_left_uncommitted_is_rolled_back(app):
    before = _sites(app)
    with app.test_request_context():
        db.session.execute(insert(Site).values(name="Half-written"))  # a Core write, no flush
        end_read_only_transaction()
        db.session.remove()
    assert _sites(app) == before


def test_flushed_or_pending_rows_are_rolled_back(app):
    before = _sites(app)
    with app.test_request_context():
        db.session.add(Site(name="Flushed"))
        db.session.flush()
        db.session.add(Site(name="Pending"))
        end_read_only_transaction()
        db.session.remove()
    assert _sites(app) == before


def test_a_request_that_failed_is_rolled_back(app, endings, postgresql):
    with app.test_request_context():
        db.session.execute(select(Site.id)).all()
        end_read_only_transaction(RuntimeError("the view failed"))
        db.session.remove()
    assert endings == ["rollback"]


def test_prepared_statements_outlive_the_request(app, make_user, postgresql):
    """The point of it: a statement run in every request is prepared once, and stays
    prepared (and planned) on the connection for the next requests."""
    with app.app_context():  # one connection in the pool: every request below, and the count, use it
        app.extensions["sqlalchemy"].engine.dispose()
    make_user("sara")
    client = signed_in(app, "sara")
    for _ in range(8):  # psycopg prepares a statement at its fifth run
        assert client.get("/todo").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared > 0
