"""The Celery side: one Celery object per Flask app, built from its LMS_CELERY_* settings.

The web process uses it only to send ("lms.jobs.run", job id); the worker (lms.jobs.worker)
also runs the tasks and, with ``-B`` or a separate ``celery beat``, the schedule."""

from datetime import timedelta

from celery import Celery
from celery.schedules import crontab


def celery_for(app):
    celery = app.extensions.get("lms_celery")
    if celery is None:
        celery = app.extensions["lms_celery"] = make_celery(app)
    return celery


def make_celery(app):
    config = app.config
    celery = Celery("lms", broker=config["LMS_CELERY_BROKER_URL"],
                    backend=config["LMS_CELERY_RESULT_BACKEND"] or None, set_as_current=False)
    celery.conf.update(
        # A message is taken off the queue only when its task ended, so a worker killed
        # mid-task leaves it for another (the row's lease covers the broker's own timeout).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,  # a job's outcome is its row, not a result in the backend
        broker_connection_retry_on_startup=True,
        # A web request hands a job over after its commit: with the broker down it gives up
        # soon (the sweep hands the job over later) rather than hold the page.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
        broker_connection_timeout=2,
        beat_schedule=beat_schedule(config),
        timezone="UTC",
    )

    @celery.task(name="lms.jobs.run")
    def run_task(job_id):
        from .queue import run

        with app.app_context():
            return run(job_id)

    @celery.task(name="lms.jobs.sweep")
    def sweep_task():
        from .queue import sweep

        with app.app_context():
            return sweep()

    @celery.task(name="lms.jobs.call")
    def call_task(name):
        from .queue import CALLS

        with app.app_context():
            CALLS[name][0]()

    @celery.task(name="lms.jobs.scheduled")
    def scheduled_task(kind_name):
        from .schedule import enqueue_scheduled

        with app.app_context():
            enqueue_scheduled(kind_name)

    return celery


def beat_schedule(config):
    """The queue's own timetable, instead of cron: the sweep every LMS_JOBS_SWEEP_SECONDS,
    the nightly refold at LMS_NIGHTLY_REFOLD_HOUR, the digests at LMS_DIGEST_HOUR and the item
    statistics at LMS_ITEM_STATS_HOUR (UTC;
    None: not scheduled here, e.g. left to cron)."""
    schedule = {"lms-jobs-sweep": {"task": "lms.jobs.sweep",
                                   "schedule": timedelta(seconds=int(config["LMS_JOBS_SWEEP_SECONDS"]))}}
    for kind_name, hour_key in (("gaps.refold", "LMS_NIGHTLY_REFOLD_HOUR"), ("coaching.digests", "LMS_DIGEST_HOUR"),
                                ("items.analyse", "LMS_ITEM_STATS_HOUR")):
        if config[hour_key] is not None:
            schedule[f"lms-{kind_name}"] = {"task": "lms.jobs.scheduled", "args": (kind_name,),
                                            "schedule": crontab(minute=0, hour=int(config[hour_key]))}
    from .queue import CALLS

    for name, (_function, every) in CALLS.items():
        if every:
            schedule[f"lms-{name}"] = {"task": "lms.jobs.call", "args": (name,), "schedule": timedelta(seconds=every)}
    return schedule
