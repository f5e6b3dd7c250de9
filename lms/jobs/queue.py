"""Enqueue, claim, run and sweep background jobs.

The row is the truth, the queue engine only a wake-up call: a job is enqueued in the caller's
transaction and handed to a runner only after that transaction commits (so no runner looks for
a row that is not there yet, nor runs work that was rolled back). A runner claims the row with
one conditional UPDATE that also takes a lease; while it works it renews the lease. A runner
that dies (``kill -9``, a machine gone) leaves a lease that runs out, and the sweep hands the
job to another runner. Work must therefore be idempotent: a job may run again from the start
(or, like the print, resume from what it left on disk).

Runners (LMS_JOBS_RUNNER): "celery" (a worker on LMS_CELERY_BROKER_URL), "thread" (a thread
in the process that committed: one machine, no other service), "eager" (at once, in the
committing thread: tests and command-line tools), "none" (only the sweep). "auto" is "celery"
when a broker is configured, else "thread"."""

import threading
import traceback
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..db import utcnow
from .models import Job

#: kind -> function(job: JobRun) doing the work; it raises to fail the try.
KINDS = {}
#: kind -> its name on pages (a lazy translation).
LABELS = {}
#: kind -> function(job) giving the address of what a finished job made (a page), if any.
RESULTS = {}
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT = timedelta(hours=1)
LOST = "The worker stopped before finishing (its lease ran out)."


def kind(name, label=None, result=None):
    """Register the function that does one kind of job, its name on pages and, for work that
    ends on a page rather than a file, ``result(job)``: that page's address."""
    def register(function):
        KINDS[name] = function
        LABELS[name] = label or name
        if result is not None:
            RESULTS[name] = result
        return function
    return register


#: name -> (function(), seconds between scheduled runs or None): wake-up calls without a row of
#: their own, for work already durable elsewhere (the outbox's deliveries).
CALLS = {}


def call(name, every=None):
    """Register a wake-up call; with ``every``, Celery beat also makes it every so many seconds."""
    def register(function):
        CALLS[name] = (function, every)
        return function
    return register


def wake(app, name):
    """Make a call soon: on a Celery worker when there is a broker, else in a short thread."""
    if runner(app) == "celery":
        _send(app, "lms.jobs.call", [name])
    else:
        threading.Thread(target=_call_in_context, args=(app, name), name=f"lms-{name}", daemon=True).start()


def _call_in_context(app, name):
    with app.app_context():
        try:
            CALLS[name][0]()
        finally:
            db.session.remove()


def enqueue(kind_name, args=None, *, key=None, user_id=None, total=None):
    """Add a job to the current transaction and return it; with ``key``, an existing job of
    that key is returned instead (nothing is added). It runs after the caller commits."""
    if kind_name not in KINDS:
        raise KeyError(f"no job kind {kind_name!r}")
    if key is not None:
        dialect = db.session.get_bind().dialect.name
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
        db.session.execute(insert(Job).values(**_new_row(kind_name, args, key, user_id, total))
                           .on_conflict_do_nothing(index_elements=["key"]))
        job = db.session.scalar(select(Job).where(Job.key == key))
    else:
        job = Job(**_new_row(kind_name, args, key, user_id, total))
        db.session.add(job)
        db.session.flush()
    if job.state == "queued":
        _pending(db.session).add(job.id)
    return job


def _new_row(kind_name, args, key, user_id, total):
    now = utcnow()
    return {"kind": kind_name, "key": key, "args": args or {}, "state": "queued", "user_id": user_id,
            "attempts": 0, "max_attempts": int(current_app.config["LMS_JOB_MAX_ATTEMPTS"]), "progress": 0,
            "total": total, "created_at": now, "next_try_at": now}


def _pending(session):
    """Job ids to hand to a runner once this session commits (see connect())."""
    session.info["lms_jobs_app"] = current_app._get_current_object()
    return session.info.setdefault("lms_jobs_pending", set())


def retry(job):
    """An admin's "try again" for a failed job: a fresh set of tries, from now."""
    job.state, job.attempts, job.next_try_at, job.lease_until = "queued", 0, utcnow(), None
    _pending(db.session).add(job.id)


def backoff(attempts):
    """Wait before the next try: 30 s, 1 min, 2 min, ... at most an hour."""
    return min(timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def runner(app):
    configured = app.config["LMS_JOBS_RUNNER"]
    if configured == "auto":
        return "celery" if app.config["LMS_CELERY_BROKER_URL"] else "thread"
    return configured


def dispatch(app, job_ids, countdown=0):
    """Wake a runner for each job (a job already taken is skipped by the claim)."""
    how = runner(app)
    if how == "celery":
        for job_id in job_ids:
            _send(app, "lms.jobs.run", [job_id], countdown)
    elif how == "thread":
        for job_id in job_ids:
            timer = threading.Timer(countdown, _run_in_context, args=(app, job_id))
            timer.daemon, timer.name = True, f"lms-job-{job_id}"
            timer.start()
    elif how == "eager" and not countdown:  # a retry waits for the sweep, not for a sleep
        for job_id in job_ids:
            _run_in_context(app, job_id)


def _send(app, task, args, countdown=0):
    """Hand a task to the broker. A broker that is down loses nothing: the row stays queued
    and the next sweep hands it over again; the request that committed it still succeeds."""
    from .celery_app import celery_for

    try:
        celery_for(app).send_task(task, args=args, countdown=countdown or None)
    except Exception as error:  # kombu raises several kinds, all meaning "not sent"
        app.logger.warning("Could not hand %s%s to the Celery broker (the sweep will): %s", task, args, error)


def _run_in_context(app, job_id):
    with app.app_context():  # its own scoped session, apart from the committing request's
        try:
            run(job_id)
        finally:
            db.session.remove()


class JobRun:
    """What a job function gets: its arguments, a folder of its own, and progress reports
    (which also renew the lease, so a long job is not taken for a lost one)."""

    def __init__(self, job):
        self.id, self.args, self.attempt = job.id, dict(job.args), job.attempts
        self.result_file = None

    @property
    def folder(self):
        return job_folder(self.id)

    def progress(self, done, total=None):
        """Record how far the job got, in a transaction of its own (the job's session may
        be in the middle of reading). Call it only from jobs that write nothing else."""
        values = {"progress": done, "lease_until": utcnow() + lease()}
        if total is not None:
            values["total"] = total
        with db.session.get_bind().engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.id, Job.attempts == self.attempt).values(**values))


def job_folder(job_id):
    return Path(current_app.instance_path) / "jobs" / str(job_id)


def lease():
    return timedelta(seconds=int(current_app.config["LMS_JOB_LEASE_SECONDS"]))


def claim(job_id, now=None):
    """Take a job that is due, or whose runner's lease ran out; None if someone else has it."""
    now = now or utcnow()
    taken = db.session.execute(
        update(Job).where(Job.id == job_id, or_(and_(Job.state == "queued", Job.next_try_at <= now),
                                                and_(Job.state == "running", Job.lease_until < now)))
        .values(state="running", attempts=Job.attempts + 1, lease_until=now + lease(), started_at=now)
    ).rowcount == 1
    db.session.commit()
    return db.session.get(Job, job_id) if taken else None


def run(job_id, now=None):
    """Claim and run one job; returns its state afterwards (None: not claimed)."""
    job = claim(job_id, now)
    if job is None:
        return None
    work = JobRun(job)
    try:
        KINDS[job.kind](work)
    except Exception as error:  # any failure: try again later, or give up after the last try
        db.session.rollback()
        return _failed(work, error)
    db.session.commit()  # what the job wrote, before it is called done
    return _finish(work, state="done", result_file=work.result_file, finished_at=utcnow(), lease_until=None,
                   last_error=None)


def _failed(work, error):
    job = db.session.get(Job, work.id)
    message = f"{type(error).__name__}: {error}"[:2000]
    current_app.logger.warning("Job %s (%s) failed, try %s of %s: %s\n%s", job.id, job.kind, job.attempts,
                               job.max_attempts, message, traceback.format_exc())
    if job.attempts >= job.max_attempts:
        return _finish(work, state="failed", last_error=message, finished_at=utcnow(), lease_until=None)
    wait = backoff(job.attempts)
    state = _finish(work, state="queued", last_error=message, next_try_at=utcnow() + wait, lease_until=None)
    if state == "queued":
        dispatch(current_app._get_current_object(), [work.id], countdown=wait.total_seconds())
    return state


def _finish(work, **values):
    """End this try, unless the lease was lost and another runner took the job meanwhile
    (its attempt number moved on): then that runner's word counts."""
    ended = db.session.execute(update(Job).where(Job.id == work.id, Job.attempts == work.attempt,
                                                 Job.state == "running").values(**values)).rowcount == 1
    db.session.commit()
    return values["state"] if ended else None


def sweep(now=None):
    """Give jobs whose runner died back to the queue (or fail them after their last try), and
    wake a runner for every job that is due. Run it every minute (beat, or cron)."""
    now = now or utcnow()
    lost = (Job.state == "running") & (Job.lease_until < now)
    failed = db.session.execute(update(Job).where(lost, Job.attempts >= Job.max_attempts)
                                .values(state="failed", last_error=LOST, finished_at=now, lease_until=None)).rowcount
    requeued = db.session.execute(update(Job).where(lost).values(state="queued", last_error=LOST, next_try_at=now,
                                                                 lease_until=None)).rowcount
    due = db.session.scalars(select(Job.id).where(Job.state == "queued", Job.next_try_at <= now)
                             .order_by(Job.id)).all()
    db.session.commit()
    dispatch(current_app._get_current_object(), due)
    return {"requeued": requeued, "failed": failed, "due": len(due)}


def counts():
    """Jobs per state, for the admin page."""
    return dict(db.session.execute(select(Job.state, func.count()).group_by(Job.state)).all())


def depth():
    """For /metrics, as every queue there: jobs still to do (waiting or running) and failed."""
    found = counts()
    return {"pending": found.get("queued", 0) + found.get("running", 0), "failed": found.get("failed", 0)}
