"""``flask lms ...``: set up the database, load a demo site, check content, add users."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from . import db
from .accounts.models import ROLES
from .accounts.services import create_user, get_or_create_site, get_or_create_team
from .catalog import ContentError, load_catalog
from .catalog.schema import UNTAGGED
from .content import current_catalog
from .migrate import upgrade


from .cli_group import lms_cli, people_cli  # noqa: F401  (people_cli: lms.cli.people_cli still works)


@lms_cli.command("migrate")
@with_appcontext
def migrate_command():
    """Create or upgrade the plugin's tables (lms_*) to the latest migration."""
    upgrade()
    click.echo("Database is up to date.")


@lms_cli.command("check-content")
@click.option("--root", default=None, help="Content folder (default: LMS_CONTENT_ROOT).")
@with_appcontext
def check_content(root):
    """Load every content file; print each problem with file, line and field."""
    root = root or current_app.config["LMS_CONTENT_ROOT"]
    try:
        catalog = load_catalog(root)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(error.problems)} problem(s) in {root}", err=True)
        sys.exit(1)
    click.echo(
        f"Content OK: {len(catalog.modules)} modules, {len(catalog.lessons)} lessons, "
        f"{len(catalog.quizzes)} quizzes, {len(catalog.items)} items, {len(catalog.roleplays)} role-plays, "
        f"{len(catalog.personas)} personas."
    )
    for draft_id, items in catalog.drafts.items():  # imported items: fine as drafts, never asked
        untagged = sum(item.dimension == UNTAGGED for item in items)
        click.echo(f"Draft {draft_id}: {len(items)} item(s), {untagged} still untagged; learners never see them.")


@lms_cli.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Name shown on pages and certificates.")
@click.option("--role", type=click.Choice(ROLES), default="agent", show_default=True)
@click.option("--site", default=None, help="Site name (created if new).")
@click.option("--team", default=None, help="Team name within the site (created if new).")
@click.option("--locale", type=click.Choice(["en", "fa"]), default="en", show_default=True)
@click.option("--email", default=None)
@click.password_option()
@with_appcontext
def create_user_command(username, display_name, role, site, team, locale, email, password):
    """Add a person who signs in with a username and password."""
    if team and not site:
        raise click.UsageError("--team needs --site.")
    site_obj = get_or_create_site(site) if site else None
    team_obj = get_or_create_team(team, site_obj) if team else None
    try:
        user = create_user(username, password, display_name, role=role, team=team_obj, site=site_obj,
                           locale=locale, email=email)
        db.session.commit()
    except ValueError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} {user.username!r}.")


@lms_cli.command("demo")
@with_appcontext
def demo_command():
    """Migrate, then create (or refresh) the demo site and print its sign-ins."""
    from .demo import DEMO_PASSWORD, build_demo

    if current_catalog() is None:
        raise click.ClickException("The content has errors; run `flask lms check-content`.")
    upgrade()
    people = build_demo(current_catalog())
    click.echo("Demo site ready. Sign in with any of these (password for all: %s):" % DEMO_PASSWORD)
    for person in people:
        team = person.team.name if person.team else "-"
        click.echo(f"  {person.username:<16} {person.role:<8} {team:<16} {person.display_name}")


@lms_cli.command("send-digests")
@click.option("--dry-run", is_flag=True, help="Print the e-mails instead of sending them.")
@with_appcontext
def send_digests_command(dry_run):
    """E-mail each person today's digest: new notifications, what is due or late."""
    from .coaching.digests import MailNotConfigured, send_digests
    from .db import utcnow

    now = utcnow()
    try:
        report = send_digests(current_catalog(), now.date(), now, dry_run=dry_run, echo=click.echo)
    except MailNotConfigured as error:
        raise click.ClickException(str(error)) from None
    if dry_run:
        return
    click.echo(f"Digests sent: {len(report.sent)}; already sent today: {len(report.already)}; "
               f"failed: {len(report.failed)}.")
    for username, error in report.failed:
        click.echo(f"  {username}: {error}", err=True)
    if report.failed:
        sys.exit(1)


@lms_cli.command("certificate-reminders")
@with_appcontext
def certificate_reminders_command():
    """Remind holders and their coaches of certificates about to end (and tell them once one
    has ended), assigning the renewal quiz; safe to run as often as you like."""
    from .credentials.expiry import send_reminders

    told = send_reminders(current_catalog())
    click.echo(f"Certificates ending soon: {told['expiring']} reminded; ended: {told['expired']} told.")


@lms_cli.command("close-overdue")
@with_appcontext
def close_overdue_command():
    """Close timed attempts past their deadline, graded on the answers saved by then (every few
    minutes from cron or the task queue; an agent who comes back closes their own at once)."""
    from .learning.attempts import close_overdue_attempts

    closed = close_overdue_attempts(current_catalog())
    click.echo(f"Closed {closed} overdue attempt{'' if closed == 1 else 's'}.")


@lms_cli.command("item-stats")
@click.option("--bank", default=None, help="Only the items written in this quiz or refresher.")
@click.option("--flagged", is_flag=True, help="Only items with a flag.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of a table (the page's CSV).")
@click.option("--save", is_flag=True, help="Also store these figures for the admin page (nightly from cron "
                                            "when Celery beat does not run).")
@with_appcontext
def item_stats_command(bank, flagged, as_csv, save):
    """Item analysis: facility, discrimination, efficiency, option rates and flags per item, and
    the reliability of each quiz and topic x dimension."""
    from .item_analysis import snapshots
    from .item_analysis.queries import analysis_from, read_sums
    from .item_analysis.views import rows_of, to_csv

    catalog = current_catalog()
    if bank is not None and bank not in catalog.quizzes:
        raise click.ClickException(f"There is no quiz or refresher {bank!r}.")
    if save:
        sums = snapshots.take(db.session).sums
        db.session.commit()
    else:
        sums = read_sums(db.session)
    analysis = analysis_from(sums, catalog)
    rows = rows_of(analysis, catalog, bank, flagged)
    if as_csv:
        click.echo(to_csv(rows), nl=False)
        return
    click.echo(f"{analysis.attempts} graded attempts.")
    for r in analysis.quizzes + analysis.groups:
        click.echo(f"  reliability {r.key:<28} attempts={r.attempts:<6} "
                   f"items={_fixed(r.items_per_attempt, 1)} alpha={_fixed(r.alpha, 2)}")
    click.echo(f"{'item':<14} {'bank':<26} {'n':>6} {'facility':>8} {'discr':>6} {'effic':>6} {'longest':>7}  flags")
    for bank_id, s in rows:
        click.echo(f"{s.item.id:<14} {bank_id:<26} {s.n:>6} {_fixed(s.facility, 2):>8} {_fixed(s.discrimination, 2):>6} "
                   f"{_fixed(s.efficiency, 2):>6} {_fixed(s.key_longest_share, 2):>7}  {' '.join(s.flags)}")


def _fixed(value, places):
    return "-" if value is None else f"{value:.{places}f}"


@lms_cli.command("refold-gaps")
@click.option("--site", "site_name", help="Only this site's agents (default: everyone).")
@with_appcontext
def refold_gaps_command(site_name):
    """Fold the gap model's running sums again from the evidence: nightly, so reports read
    only a day's evidence besides the sums, and after editing evidence or sites outside the app."""
    from sqlalchemy import select

    from .accounts.models import Site, User
    from .gaps.folding import rebuild

    users = None
    if site_name:
        site = db.session.scalar(select(Site).where(Site.name == site_name))
        if site is None:
            raise click.ClickException(f"There is no site named {site_name!r}.")
        users = select(User.id).where(User.site_id == site.id)
    rebuild(db.session, users)
    db.session.commit()
    click.echo("Running sums folded again" + (f" for {site_name}." if site_name else "."))


from .roster import commands as _roster_commands  # noqa: E402,F401  (people import: adds itself to people_cli)
from .people import commands as _people_commands  # noqa: E402,F401  (registers on people_cli)
from .outbox import commands as _outbox_commands  # noqa: E402,F401  (flask lms deliver)
from .keys import commands as _keys_commands  # noqa: E402,F401  (flask lms keys ...)
from .lti import commands as _lti_commands  # noqa: E402,F401  (flask lms lti ...)
from .xapi import commands as _xapi_commands  # noqa: E402,F401  (flask lms xapi resend)
from .question_import import commands as _import_commands  # noqa: E402,F401  (registers on lms_cli)
from . import repair as _repair_command  # noqa: E402,F401  (flask lms repair)
from .jobs import commands as _jobs_commands  # noqa: E402,F401  (flask lms jobs-sweep)
from .backup import commands as _backup_commands  # noqa: E402,F401  (flask lms backup / restore / copy-data)
