"""``flask lms deliver``: the outbox sweep, run every minute from cron (or a task queue)."""

import click
from flask.cli import with_appcontext

from ..cli_group import lms_cli
from .queue import deliver_due


@lms_cli.command("deliver")
@click.option("--limit", default=500, show_default=True, help="Most deliveries to try in this run.")
@with_appcontext
def deliver_command(limit):
    """Send what waits in the outbox (xAPI statements, gradebook scores), retrying failures
    whose wait is over; a failure stays for a later run."""
    counts = deliver_due(limit=limit)
    click.echo(f"Sent: {counts['sent']}; failed this time: {counts['failed']}; still waiting: {counts['waiting']}.")
