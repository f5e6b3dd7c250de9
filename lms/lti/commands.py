"""``flask lms lti``: register and list platforms, sync a course's roster."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import db
from ..accounts.models import Site
from ..cli_group import lms_cli
from ..values import Invalid
from .models import LtiContext, LtiPlatform
from .platforms import save_platform
from .roster import sync_roster


@lms_cli.group("lti", help="LTI 1.3: the platforms that launch CX Academy, and their courses.")
def lti_cli():
    pass


@lti_cli.command("add-platform")
@click.option("--name", required=True)
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
@click.option("--login-url", required=True, help="The platform's OIDC authentication URL.")
@click.option("--token-url", required=True, help="The platform's OAuth 2 access token URL.")
@click.option("--jwks-url", required=True, help="The platform's public key set URL.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True, help="Repeat for several.")
@click.option("--audience", default="", help="Access token audience, when not the token URL.")
@click.option("--site", "site_name", required=True, help="The site its people and courses join.")
@with_appcontext
def add_platform_command(name, issuer, client_id, login_url, token_url, jwks_url, deployment_ids, audience,
                         site_name):
    """Register a platform (or, for a known issuer and client id, change it)."""
    site = db.session.scalar(select(Site).where(Site.name == site_name))
    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == issuer.strip(),
                                                           LtiPlatform.client_id == client_id.strip()))
    try:
        platform = save_platform({
            "name": name, "issuer": issuer, "client_id": client_id, "auth_login_url": login_url,
            "auth_token_url": token_url, "key_set_url": jwks_url, "deployment_ids": list(deployment_ids),
            "audience": audience, "site_id": site.id if site else None}, platform)
    except Invalid as error:
        db.session.rollback()
        if "site_id" in error.errors:
            error.errors["site_id"] = f"no site named {site_name!r}"
        raise click.ClickException("; ".join(f"--{k.replace('_', '-')}: {v}" for k, v in error.errors.items()))
    db.session.commit()
    click.echo(f"Platform {platform.id} saved: {platform.name} ({platform.issuer}, client {platform.client_id}).")


@lti_cli.command("list")
@with_appcontext
def list_command():
    """The registered platforms, then the courses they launched from (ids for sync-roster)."""
    for p in db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.id)):
        click.echo(f"{p.id}\t{p.name}\t{p.issuer}\t{p.client_id}\tdeployments: {', '.join(p.deployment_ids)}")
    for c in db.session.scalars(select(LtiContext).order_by(LtiContext.id)):
        click.echo(f"course {c.id}\t{c.title}\tteam: {c.team.name}\tplatform: {c.platform.name}"
                   f"\troster: {'yes' if c.memberships_url else 'no'}")


@lti_cli.command("sync-roster")
@click.argument("context_id", type=int)
@with_appcontext
def sync_roster_command(context_id):
    """Bring a linked course's roster (NRPS) into its team; CONTEXT_ID as "lti list" shows."""
    context = db.session.get(LtiContext, context_id)
    if context is None:
        raise click.ClickException(f"no linked course {context_id}")
    report = sync_roster(context)
    click.echo(f"{context.title}: {report.created} new, {report.linked} already here, {report.skipped} skipped.")
