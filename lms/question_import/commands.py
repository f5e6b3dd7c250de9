"""``flask lms import-questions FILE``: GIFT or Moodle XML into a draft file of our items."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..catalog.schema import TOPICS
from ..cli_group import lms_cli
from ..content import current_catalog
from .importing import FORMATS, ImportFailed, import_questions

_SUFFIXES = {".gift": "gift", ".txt": "gift", ".xml": "moodle-xml"}


def _mapping(ctx, param, values):
    mapping = {}
    for value in values:
        category, _, topic = value.partition("=")
        if topic not in TOPICS or not category:
            raise click.BadParameter(f"{value!r}: write CATEGORY=TOPIC, TOPIC one of {', '.join(TOPICS)}")
        mapping[category] = topic
    return mapping


@lms_cli.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="The file's format (default: from its extension, .gift/.txt or .xml).")
@click.option("--into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the draft file, e.g. quizzes/imported (check-content checks it there).")
@click.option("--topic", type=click.Choice(TOPICS), default=None,
              help="Topic of questions whose category names none of ours.")
@click.option("--map", "mapping", multiple=True, callback=_mapping, metavar="CATEGORY=TOPIC",
              help="A category name that stands for one of our topics (repeatable).")
@click.option("--prefix", default=None, help="Start of the item ids (default: the file's name).")
@with_appcontext
def import_questions_command(file, fmt, into, topic, mapping, prefix):
    """Import questions from GIFT or Moodle XML as a draft of our items; print what was not
    taken over (with its line) and what each item needs before it can be asked."""
    fmt = fmt or _SUFFIXES.get(file.suffix.lower())
    if fmt is None:
        raise click.UsageError(f"cannot tell the format of {file.name}: pass --format {'|'.join(FORMATS)}")
    catalog = current_catalog()
    taken = set(catalog.items) | {item.id for items in catalog.drafts.values() for item in items} if catalog else set()
    try:
        report = import_questions(file, fmt, into, topic, mapping, prefix, taken)
    except ImportFailed as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        raise click.ClickException("Nothing written.") from None
    for line in report.lines():
        click.echo(line)
    quizzes = Path(current_app.config["LMS_CONTENT_ROOT"]).resolve() / "quizzes"
    if report.target and Path(report.target).resolve().parent.parent != quizzes:
        click.echo(f"Note: the content check reads drafts in {quizzes}/<folder>/ only; move the file there "
                   "to have it checked.")
