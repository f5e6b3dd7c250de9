"""Background jobs: durable rows (lms_job) run by Celery when a broker is configured, else by
a thread in the web process; idempotent, retried with backoff, swept when a runner dies.

A feature adds a kind with ``@kind("name")`` and starts one with ``enqueue("name", args)``
in its own transaction; this package imports no feature."""

from ..ops import register_queue
from . import dispatch, queue
from .queue import JobRun, enqueue, kind, sweep

__all__ = ["JobRun", "enqueue", "init_app", "kind", "sweep"]


def init_app(app):
    """Hand enqueued jobs to a runner after each commit, and add ``flask lms jobs-sweep``."""
    dispatch.connect(app)
    register_queue("jobs", queue.depth)
