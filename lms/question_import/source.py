"""What both readers produce: each question of the source file, neutral of its format."""

from dataclasses import dataclass, field

from ..i18n import _

#: Moodle's question type names, which both readers use.
MULTICHOICE, TRUEFALSE, SHORTANSWER, NUMERICAL, MATCHING, ESSAY, DESCRIPTION = (
    "multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "description")


class SourceError(ValueError):
    """The file cannot be read at all (syntax, encoding, forbidden markup): nothing is imported."""

    def __init__(self, line, message):
        self.line = line
        super().__init__(_("line %(line)d: %(message)s", line=line, message=message) if line else message)


@dataclass
class Answer:
    """One answer of a question; ``fraction`` is its share of the marks (-1 to 1)."""

    text: str  # Markdown
    fraction: float
    feedback: str = ""  # Markdown


@dataclass
class SourceQuestion:
    """One question as the source file states it; texts already converted to Markdown."""

    line: int
    qtype: str
    name: str
    text: str
    category: str = ""  # the category path in force ("$course$/top/Policies/Refunds")
    answers: list = field(default_factory=list)
    general_feedback: str = ""
    single: bool = True  # multichoice: one answer or several
    case_sensitive: bool = False  # shortanswer: Moodle's usecase
    notes: list = field(default_factory=list)  # what the conversion lost (images, ...)
