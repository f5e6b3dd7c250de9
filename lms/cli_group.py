"""The ``flask lms`` click groups, on their own so feature packages can add commands to them
without importing lms.cli (which imports the features' command modules)."""

import click


@click.group("lms", help="CX Academy commands.")
def lms_cli():
    pass


@lms_cli.group("people", help="People: import from the HR system's export, roles, coaches, passwords.")
def people_cli():
    pass
