"""Hand the jobs a transaction enqueued to a runner once, and only once, it has committed."""

from sqlalchemy import event

from .queue import dispatch


def connect(app):
    session = app.extensions["sqlalchemy"].session
    if not event.contains(session, "after_commit", _after_commit):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_rollback)


def _after_commit(session):
    app = session.info.pop("lms_jobs_app", None)
    job_ids = session.info.pop("lms_jobs_pending", None)
    if app is not None and job_ids:
        dispatch(app, sorted(job_ids))


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop("lms_jobs_app", None)
        session.info.pop("lms_jobs_pending", None)
