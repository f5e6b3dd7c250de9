"""What an error page may still rely on after the request failed.

A failed statement on PostgreSQL aborts the whole transaction: every later query in it fails
too, so an error page that reads the signed-in user or their unread count would fail in turn
and the person would get a bare server error. The session is rolled back before any error page,
and a server error's page (the database may be the very thing that is down) reads nothing from it."""

from flask import current_app, g

from . import db


def forget_failed_transaction():
    """Roll back whatever the failed request left; never raise from an error handler."""
    try:
        db.session.rollback()
    except Exception:  # the database is unreachable: the page below does without it
        current_app.logger.warning("rollback before an error page failed", exc_info=True)


def without_database(error_code):
    """Mark this request's error page as one that must not query: server errors (5xx)."""
    forget_failed_transaction()
    if error_code >= 500:
        g.lms_without_database = True


def database_usable():
    return not g.get("lms_without_database", False)
