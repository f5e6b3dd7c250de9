"""``flask lms jobs-sweep``: the jobs' sweep, every minute from cron when no Celery beat runs."""

import click
from flask.cli import with_appcontext

from ..cli_group import lms_cli
from .queue import sweep


@lms_cli.command("jobs-sweep")
@with_appcontext
def jobs_sweep_command():
    """Give jobs whose worker died back to the queue and wake a runner for every due job."""
    counts = sweep()
    click.echo(f"Jobs due: {counts['due']}; taken back from lost workers: {counts['requeued']}; "
               f"failed after their last try: {counts['failed']}.")


@lms_cli.command("jobs-run-due")
@with_appcontext
def jobs_run_due_command():
    """Run every due job here and now, one after another (no worker needed)."""
    from sqlalchemy import select

    from .. import db
    from ..db import utcnow
    from .models import Job
    from .queue import run

    due = db.session.scalars(select(Job.id).where(Job.state == "queued", Job.next_try_at <= utcnow())).all()
    db.session.commit()
    states = [run(job_id) for job_id in due]
    click.echo(f"Ran {len(due)} job(s): {states.count('done')} done, {states.count('failed')} failed.")
