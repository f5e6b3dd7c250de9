"""Moodle XML read with lxml, safely: no DTD, no entities, no network, so a file cannot read
the server's files (XXE) or expand itself without bound; each element keeps its source line."""

from lxml import etree

from ..i18n import _
from .source import DESCRIPTION, MULTICHOICE, SHORTANSWER, TRUEFALSE, Answer, SourceError, SourceQuestion
from .text import HTML, to_markdown

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def read_moodle_xml(data):
    """Every question of a Moodle XML file (bytes), in order; SourceError if it is not one."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise SourceError(error.lineno, _("not well-formed XML: %(error)s", error=error.msg)) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise SourceError(1, _("a DOCTYPE is not allowed (entities could read files from the server)"))
    if root.tag != "quiz":
        raise SourceError(root.sourceline, _("the root element is <%(tag)s>, not <quiz>", tag=root.tag))
    questions, category = [], ""
    for element in root.iterchildren("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            category = _text(element.find("category"))
            continue
        questions.append(_question(element, qtype, category))
    return questions


def _question(element, qtype, category):
    notes, questiontext = [], element.find("questiontext")
    question = SourceQuestion(element.sourceline, qtype, _text(element.find("name")),
                              _formatted(questiontext, notes), category, notes=notes)
    question.general_feedback = _formatted(element.find("generalfeedback"), notes)
    if qtype == MULTICHOICE:
        question.single = _text(element.find("single")).lower() in ("true", "1")
    if qtype == SHORTANSWER:
        question.case_sensitive = _text(element.find("usecase")) == "1"
    text_format = (questiontext.get("format") if questiontext is not None else None) or HTML
    for answer in element.iterchildren("answer"):
        fraction = float(answer.get("fraction") or 0) / 100
        # an answer's text is in its own format attribute, or the question's (Moodle's default)
        text = to_markdown(_text(answer), answer.get("format") or text_format, notes)
        if qtype == TRUEFALSE:
            text = text.lower()
        question.answers.append(Answer(text, fraction, _formatted(answer.find("feedback"), notes)))
    if qtype == DESCRIPTION:
        question.answers = []
    return question


def _formatted(element, notes):
    """The Markdown of an element holding <text> in its ``format`` (Moodle's default: html)."""
    if element is None:
        return ""
    return to_markdown(_text(element), element.get("format") or HTML, notes)


def _text(element):
    """The <text> child's content (CDATA or not), or the element's own text."""
    if element is None:
        return ""
    child = element.find("text")
    return ((child.text if child is not None else element.text) or "").strip()
