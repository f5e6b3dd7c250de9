"""``flask lms keys``: list and rotate the site's signing keys."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import db
from ..cli_group import lms_cli
from .models import SigningKey
from .store import ALGORITHMS, rotate


@lms_cli.group("keys", help="The site's signing keys (LTI messages, verifiable credentials).")
def keys_cli():
    pass


@keys_cli.command("list")
@with_appcontext
def list_command():
    for key in db.session.scalars(select(SigningKey).order_by(SigningKey.alg, SigningKey.created_at)):
        state = f"retired {key.retired_at:%Y-%m-%d}" if key.retired_at else "current"
        click.echo(f"{key.alg:6} {key.kid}  created {key.created_at:%Y-%m-%d}  {state}")


@keys_cli.command("rotate")
@click.option("--alg", type=click.Choice(sorted(ALGORITHMS)), required=True)
@with_appcontext
def rotate_command(alg):
    """Sign from now on with a new key; the old one stays published, so what it signed (launch
    messages under way, badges already given out) still verifies."""
    key = rotate(alg)
    click.echo(f"New {alg} key: {key.kid}. The previous one stays in the published key set.")
