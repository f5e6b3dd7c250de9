"""``flask lms people import FILE``: the same plan and import as the pages, by the system."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import db
from ..cli_group import people_cli
from .applying import apply_plan
from .planning import plan_import
from .reading import ReadError, read_roster


def summary_lines(plan):
    """The plan in a few lines of text, then each error as ``row N, column C: message``."""
    lines = [f"{len(plan.creates)} to create, {len(plan.changes)} to change, {len(plan.leavers)} to deactivate, "
             f"{plan.unchanged} unchanged, {len(plan.error_rows)} row(s) with errors"]
    if plan.new_sites:
        lines.append("new sites: " + ", ".join(plan.new_sites))
    if plan.new_teams:
        lines.append("new teams: " + ", ".join(f"{team} ({site})" for site, team in plan.new_teams))
    if plan.unknown_columns:
        lines.append("columns not used: " + ", ".join(plan.unknown_columns))
    lines += [f"row {e.row}, column {e.column}: {e.message}" for e in plan.errors]
    return lines


@people_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--full-roster", is_flag=True, help="The file lists everyone: deactivate the people of its sites "
                                                  "who are not in it.")
@click.option("--only-good-rows", is_flag=True, help="Import the rows without errors even if others have some.")
@click.option("--site", default=None, help="Site for rows that name none (created if new).")
@with_appcontext
def import_command(file, dry_run, full_roster, only_good_rows, site):
    """Import people from the HR system's export (CSV or XLSX)."""
    try:
        sheet = read_roster(file.name, file.read_bytes())
    except ReadError as error:
        raise click.ClickException(str(error)) from None
    plan = plan_import(sheet, None, full_roster=full_roster, default_site=site)
    for line in summary_lines(plan):
        click.echo(line)
    if dry_run or (plan.errors and not only_good_rows):
        db.session.rollback()
        click.echo("Dry run: nothing written." if dry_run else "Nothing written: fix the rows above, or use "
                                                                "--only-good-rows.")
        sys.exit(1 if plan.errors else 0)
    outcome = apply_plan(plan, None, file.name, only_good_rows=only_good_rows)
    db.session.commit()
    click.echo(f"Imported: {outcome.created} created, {outcome.changed} changed, {outcome.deactivated} deactivated.")
