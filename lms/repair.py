"""``flask lms repair``: re-does whatever consequence is missing (a completion without its
certificate, missed items not scheduled), each feature by its own ``repair``. Idempotent: a
second run finds nothing, and unique constraints make sure nothing is ever made twice."""

import click
from flask import current_app
from flask.cli import with_appcontext

from . import features
from .cli_group import lms_cli


def repair_all():
    """Each installed feature's repair, in order; {what: how many were repaired}."""
    catalog = current_app.extensions["lms"].catalog
    fixed = {}
    for feature in features.installed():
        if feature.repair is not None:
            fixed.update(feature.repair(catalog))
    return fixed


@lms_cli.command("repair")
@with_appcontext
def repair_command():
    """Complete what a pass, a run or a review should have caused and did not (safe to run
    from cron, any number of times)."""
    fixed = repair_all()
    click.echo("Repaired: " + (", ".join(f"{n} {what}" for what, n in fixed.items()) or "nothing") + ".")
