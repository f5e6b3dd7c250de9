"""``flask lms xapi resend``: the statements of a period again, rebuilt from the stored records
(for an LRS that was added, emptied or restored). Their ids are the same as the first time,
so the LRS keeps one copy of each."""

from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext

from .. import db
from ..cli_group import lms_cli
from ..content import current_catalog
from ..db import utcnow
from . import records
from .delivery import enabled, queue


@lms_cli.group("xapi", help="xAPI statements for the site's Learning Record Store.")
def xapi_cli():
    pass


def _moment(value, end_of_day=False):
    """A date (YYYY-MM-DD: its start, or with ``end_of_day`` the start of the next day) or a
    time (YYYY-MM-DDTHH:MM[:SS]), in UTC as everything stored."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or time (YYYY-MM-DDTHH:MM)") from None
    if moment.tzinfo is not None:
        moment = (moment - moment.utcoffset()).replace(tzinfo=None)
    if end_of_day and len(value) == 10:
        moment += timedelta(days=1)
    return moment


@xapi_cli.command("resend")
@click.option("--since", required=True, help="First day (YYYY-MM-DD) or time, UTC.")
@click.option("--until", default=None, help="Last day, included (YYYY-MM-DD), or a time, UTC; default now.")
@with_appcontext
def resend_command(since, until):
    """Queue again every statement of what happened from SINCE to UNTIL: lessons read, graded
    attempts and their answers, completed modules, finished role-plays, reviews, certificates
    issued and revoked. The sweep (or the next request's thread) sends them."""
    if not enabled():
        raise click.ClickException("LMS_XAPI_ENDPOINT is not set: there is no LRS to send statements to.")
    start = _moment(since)
    end = _moment(until, end_of_day=True) if until else utcnow()
    if end <= start:
        raise click.BadParameter("--until must come after --since")
    queued = 0
    for statements in records.in_period(current_catalog(), start, end):
        queue(statements, again=True)
        db.session.commit()
        queued += len(statements)
    click.echo(f"Queued {queued} statement(s) from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC.")
