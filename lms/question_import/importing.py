"""One import: read the source, map each question, check the draft file and write it whole."""

import os
import tempfile
from pathlib import Path

from ..catalog.loader import check_draft
from ..catalog.schema import TOPICS
from ..i18n import _
from .gift import read_gift
from .mapping import Mapped, slug, to_item, topic_of
from .moodle_xml import read_moodle_xml
from .report import ImportReport
from .source import SourceError
from .writing import draft_yaml

FORMATS = ("gift", "moodle-xml")


class ImportFailed(Exception):
    """Nothing was written; ``problems`` says why, each with its line where there is one."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def read_source(name, data, fmt):
    """The questions of ``data`` (bytes) in ``fmt``."""
    if fmt == "moodle-xml":
        return read_moodle_xml(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(data[: error.start].count(b"\n") + 1, _("not UTF-8; save the file as UTF-8")) from None
    return read_gift(text)


def plan_import(name, data, fmt, topic=None, mapping=None, prefix=None, taken=()):
    """The report of importing ``data`` and the draft file's text (None when nothing maps);
    ImportFailed when the source does not parse or an item would have no topic or a taken id."""
    try:
        questions = read_source(name, data, fmt)
    except SourceError as error:
        raise ImportFailed([f"{name}: {error}"]) from None
    prefix = slug(prefix or Path(name).stem) or "imported"
    report, problems = ImportReport(name), []
    for number, question in enumerate(questions, 1):
        item_topic, pool = topic_of(question.category, topic, mapping or {})
        result = to_item(question, f"{prefix}-{number:03d}", item_topic, pool)
        if isinstance(result, Mapped) and item_topic is None:
            problems.append(f"{name}: " + _("line %(line)d: category %(category)s names none of our topics (%(topics)s): "
                                            "give a topic for it (--topic), or map the category (--map)",
                                            line=question.line, category=repr(question.category or ""),
                                            topics=", ".join(TOPICS)))
        elif isinstance(result, Mapped) and result.item["id"] in taken:
            problems.append(f"{name}: " + _("line %(line)d: item id %(id)s is already used: choose another prefix "
                                            "(--prefix)", line=question.line, id=result.item["id"]))
        (report.mapped if isinstance(result, Mapped) else report.skipped).append(result)
    if problems:
        raise ImportFailed(problems)
    text = draft_yaml(prefix, name, report.mapped) if report.mapped else None
    return report, text


def import_questions(path, fmt, into, topic=None, mapping=None, prefix=None, taken=()):
    """Import the file at ``path`` into the folder ``into``: one draft file written whole, or
    nothing (ImportFailed). Returns the report."""
    path, into = Path(path), Path(into)
    report, text = plan_import(path.name, path.read_bytes(), fmt, topic, mapping, prefix, taken)
    if text is None:
        return report
    target = into / f"{slug(prefix or path.stem) or 'imported'}.yaml"
    if target.exists():
        raise ImportFailed([f"{target} exists already; nothing written (move it away, or pass another --prefix)"])
    into.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".yaml.tmp", dir=into)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        problems = check_draft(temporary)
        if problems:  # a bug of ours, not the author's: never leave a file the loader refuses
            raise ImportFailed([f"{target}: {p.line}: {p.field}: {p.message}" for p in problems])
        os.replace(temporary, target)  # the file appears whole or not at all
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    report.target = str(target)
    return report
