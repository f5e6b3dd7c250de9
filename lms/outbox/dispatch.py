"""Send what a request enqueued right after it commits, without making the person wait: a
short-lived thread per commit. It is only the fast path; the rows are the truth, and
``flask lms deliver`` (cron) sends whatever a thread did not (a crash, an LRS that was down).
With a Celery broker configured, a worker sends them instead, and beat runs the sweep."""

import threading

from sqlalchemy import event

from ..jobs.queue import call, runner, wake
from .queue import deliver_due


def connect(app):
    session = app.extensions["sqlalchemy"].session
    if not event.contains(session, "after_commit", _after_commit):
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_rollback)


def _after_commit(session):
    app = session.info.pop("lms_outbox_app", None)
    if app is not None and app.config["LMS_DELIVERY_WORKER"] == "thread" and runner(app) == "celery":
        wake(app, "outbox.deliver")
    elif app is not None and app.config["LMS_DELIVERY_WORKER"] == "thread":
        threading.Thread(target=_deliver, args=(app,), name="lms-outbox", daemon=True).start()


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop("lms_outbox_app", None)


@call("outbox.deliver", every=60)
def _deliver_now():
    deliver_due()


def _deliver(app):
    with app.app_context():
        deliver_due()
