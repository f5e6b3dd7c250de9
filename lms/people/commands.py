"""``flask lms people ...``: roles, coaches, passwords and leavers from the command line.
USER is a username, e-mail address or employee id. Every change is audited as made by the
system, with the reason "command line"."""

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .. import db
from ..accounts.models import ROLES, Site, Team
from ..cli_group import people_cli
from . import organisation, passwords, services
from ..values import Invalid
from .exports import passwords_csv

REASON = "command line"


def _person(key):
    person = services.find_person(key)
    if person is None:
        raise click.ClickException(f"Nobody has the username, e-mail or employee id {key!r}.")
    return person


def _team(name, site_name):
    query = select(Team).where(func.lower(Team.name) == name.strip().lower())
    if site_name:
        query = query.join(Site).where(func.lower(Site.name) == site_name.strip().lower())
    teams = db.session.scalars(query).all()
    if not teams:
        raise click.ClickException(f"There is no team {name!r}" + (f" in site {site_name!r}." if site_name else "."))
    if len(teams) > 1:
        raise click.ClickException(f"Several sites have a team {name!r}: say which with --site.")
    return teams[0]


def _commit(change):
    """Run ``change`` and commit; a refused or invalid change is an error (exit code 1)."""
    try:
        result = change()
    except Invalid as error:
        db.session.rollback()
        raise click.ClickException(" ".join(str(m) for m in error.errors.values())) from None
    db.session.commit()
    return result


@people_cli.command("set-role")
@click.argument("user")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def set_role(user, role):
    """Give USER the role ROLE (a coach who becomes an agent leaves the teams they coached)."""
    person = _person(user)
    _commit(lambda: services.update_person(person, None, {**services.snapshot(person), "role": role},
                                           reason=REASON))
    click.echo(f"{person.username} is now {role}.")


@people_cli.command("add-coach")
@click.argument("user")
@click.argument("team")
@click.option("--site", default=None, help="The team's site, when several sites have a team of that name.")
@with_appcontext
def add_coach(user, team, site):
    """Make USER a coach of TEAM."""
    person, team_obj = _person(user), _team(team, site)
    _commit(lambda: organisation.add_coach(team_obj, person, None, reason=REASON))
    click.echo(f"{person.username} coaches {team_obj.name} ({team_obj.site.name}).")


@people_cli.command("remove-coach")
@click.argument("user")
@click.argument("team")
@click.option("--site", default=None, help="The team's site, when several sites have a team of that name.")
@with_appcontext
def remove_coach(user, team, site):
    """USER no longer coaches TEAM."""
    person, team_obj = _person(user), _team(team, site)
    _commit(lambda: organisation.remove_coach(team_obj, person, None, reason=REASON))
    click.echo(f"{person.username} no longer coaches {team_obj.name} ({team_obj.site.name}).")


@people_cli.command("reset-password")
@click.argument("user")
@with_appcontext
def reset_password(user):
    """Print a temporary password for USER, who must replace it at their next sign-in."""
    person = _person(user)
    password = _commit(lambda: passwords.reset_password(person, None, reason=REASON))
    click.echo(f"Temporary password for {person.username}: {password}")


@people_cli.command("first-passwords")
@click.argument("out", type=click.File("w", encoding="utf-8"))
@click.option("--site", default=None, help="Only this site's people.")
@click.option("--limit", default=passwords.FIRST_PASSWORDS_AT_ONCE, show_default=True, type=click.IntRange(1))
@with_appcontext
def first_passwords(out, site, limit):
    """Write temporary passwords for the people who have none yet (an import's new people) to
    OUT as CSV ("-": the terminal); each chooses their own when they first sign in."""
    site_id = None
    if site:
        site_id = db.session.scalar(select(Site.id).where(func.lower(Site.name) == site.strip().lower()))
        if site_id is None:
            raise click.ClickException(f"There is no site {site!r}.")
    pairs = _commit(lambda: passwords.first_passwords(None, site_id=site_id, limit=limit))
    out.write(passwords_csv(pairs))
    click.echo(f"Temporary passwords for {len(pairs)} people.", err=True)


@people_cli.command("deactivate")
@click.argument("user")
@click.option("--reason", required=True, help="Why (kept in the audit trail).")
@with_appcontext
def deactivate(user, reason):
    """Refuse USER's sign-in and take them off the teams they coach; their history is kept."""
    person = _person(user)
    _commit(lambda: services.deactivate(person, None, f"{REASON}: {reason}"))
    click.echo(f"{person.username} is deactivated.")


@people_cli.command("reactivate")
@click.argument("user")
@click.option("--reason", default="", help="Why (kept in the audit trail).")
@with_appcontext
def reactivate(user, reason):
    """Let USER sign in again."""
    person = _person(user)
    _commit(lambda: services.reactivate(person, None, f"{REASON}: {reason}" if reason else REASON))
    click.echo(f"{person.username} is active again.")
