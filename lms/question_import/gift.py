"""GIFT (Moodle's plain-text question format) read with a Lark grammar.

Lines are trimmed first, as Moodle does, so comment lines start with ``//`` and blank lines
are empty; a comment line is swallowed with the line break before it, so it neither splits a
question nor joins two. Questions are separated by blank lines."""

from functools import cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from .source import (DESCRIPTION, ESSAY, MATCHING, MULTICHOICE, NUMERICAL, SHORTANSWER, TRUEFALSE, Answer,
                     SourceError, SourceQuestion)
from ..i18n import _
from .text import GIFT_FORMATS, MOODLE, to_markdown

GRAMMAR = r"""
start: _BLANK? (block _BLANK)*
?block: CATEGORY -> category
      | question

question: title? FORMAT? text? answers text?   -> with_answers
        | title? FORMAT? text                  -> description
title: "::" TITLE? "::"
text: TEXT+
answers: "{" body? "}"

?body: tf | choices | numerical | general
tf: TF feedback? feedback? general?
choices: choice+ general?
choice: MARK WEIGHT? atext? (ARROW atext?)? feedback?
numerical: _HASH (atext feedback? choice* | choice+) general?
feedback: _HASH atext?
general: _GENERAL atext?
atext: ATEXT+

CATEGORY.4: /\$CATEGORY:[^\n]*/
FORMAT.3: /\[(html|markdown|moodle|plain)\]/
TITLE: /(\\.|[^\\:\n]|:(?!:))+/
TEXT: /(?!::)(\\.|[^\\{}\n])+/
TF.2: /(TRUE|FALSE|T|F)(?=[\s#}])/
MARK: "=" | "~"
WEIGHT.2: /%-?\d+(\.\d+)?%/
ARROW: "->"
_HASH: "#"
_GENERAL: "####"
ATEXT: /(\\.|[^\\~=#{}\n\-]|-(?!>))+/
_BLANK.2: /\n(\/\/[^\n]*\n)*\n(\/\/[^\n]*\n|\n)*/
_NL: /\n(\/\/[^\n]*\n)*(?!\n)/
%ignore /[ \t]+/
%ignore _NL
"""

_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n", "\\": "\\"}


@cache
def _parser():
    """Built on first use, not whenever the app (and so this module) is loaded."""
    return Lark(GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def read_gift(text):
    """Every question of a GIFT file, in order, each with its line; SourceError if it does not parse."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    # a leading line break lets the first line be a comment; the trailing blank line ends the last block
    normalised = "\n" + "\n".join(lines) + "\n\n"
    try:
        tree = _parser().parse(normalised)
        return _Questions().transform(tree)
    except UnexpectedInput as error:
        raise SourceError(max(error.line - 1, 1), _explain(error)) from None
    except VisitError as error:
        raise error.orig_exc from None


def _explain(error):
    if isinstance(error, UnexpectedCharacters):
        return _("unexpected %(char)s (escape it as \\%(char)s if it is part of the text)", char=error.char)
    if isinstance(error, UnexpectedEOF) or (isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        return _("the file ends inside a question (a { without its }?)")
    if isinstance(error, UnexpectedToken) and error.token.type == "_BLANK":
        return _("a blank line inside a question (a { without its }?)")
    return _("unexpected %(text)s", text=str(error.token))


def unescape(raw):
    """GIFT's backslash escapes resolved: ``\\=`` is ``=``, ``\\n`` a line break."""
    out, chars = [], iter(raw)
    for char in chars:
        if char == "\\":
            following = next(chars, "\\")
            out.append(_ESCAPES.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


def _joined(tokens):
    return "\n".join(unescape(str(token)).strip() for token in tokens).strip()


@v_args(meta=True)
class _Questions(Transformer):
    """The parse tree as SourceQuestions; the category in force follows each $CATEGORY line."""

    def __init__(self):
        super().__init__()
        self.in_force = ""

    def start(self, meta, blocks):
        questions = []
        for block in blocks:
            if isinstance(block, str):
                self.in_force = block
            else:
                block.category = self.in_force
                questions.append(block)
        return questions

    def category(self, meta, children):
        return str(children[0]).split(":", 1)[1].strip()

    def title(self, meta, children):
        return ("title", _joined(children))

    def text(self, meta, children):
        return ("text", _joined(children), meta.line - 1)

    def atext(self, meta, children):
        return _joined(children)

    def feedback(self, meta, children):
        return ("feedback", children[0] if children else "")

    def general(self, meta, children):
        return ("general", children[0] if children else "")

    def choice(self, meta, children):
        mark, weight, parts, feedback = None, None, [], ""
        for child in children:
            if isinstance(child, Token) and child.type == "MARK":
                mark = str(child)
            elif isinstance(child, Token) and child.type == "WEIGHT":
                weight = float(str(child).strip("%")) / 100
            elif isinstance(child, tuple):
                feedback = child[1]
            elif not isinstance(child, Token):
                parts.append(child)
        fraction = weight if weight is not None else (1.0 if mark == "=" else 0.0)
        return {"mark": mark, "weighted": weight is not None, "fraction": fraction, "parts": parts,
                "feedback": feedback, "arrow": any(isinstance(c, Token) and c.type == "ARROW" for c in children)}

    def tf(self, meta, children):
        value = str(children[0]).upper().startswith("T")
        feedbacks = [c[1] for c in children[1:] if c[0] == "feedback"]
        return {"kind": TRUEFALSE, "value": value, "feedbacks": feedbacks, "general": _general(children)}

    def choices(self, meta, children):
        return {"kind": "choices", "choices": [c for c in children if isinstance(c, dict)],
                "general": _general(children)}

    def numerical(self, meta, children):
        return {"kind": NUMERICAL, "general": _general(children)}

    def answers(self, meta, children):
        if not children:
            return {"kind": ESSAY, "general": ""}
        body = children[0]
        if isinstance(body, tuple):  # only a general feedback: an essay
            return {"kind": ESSAY, "general": body[1]}
        return body

    def with_answers(self, meta, children):
        return self._question(meta, children)

    def description(self, meta, children):
        return self._question(meta, children)

    def _question(self, meta, children):
        name, fmt, texts, body = "", MOODLE, [], None
        for child in children:
            if isinstance(child, Token) and child.type == "FORMAT":
                fmt = GIFT_FORMATS[str(child)[1:-1]]
            elif isinstance(child, tuple) and child[0] == "title":
                name = child[1]
            elif isinstance(child, tuple) and child[0] == "text":
                texts.append(child[1])
            elif isinstance(child, dict):
                body = child
        line = meta.line - 1  # the normalised text starts with one extra line break
        notes = []
        # text on both sides of the answers: a "missing word" question, the answers fill the gap
        stem = " _____ ".join(to_markdown(text, fmt, notes) for text in texts)
        question = SourceQuestion(line, DESCRIPTION, name, stem, notes=notes)
        if body is None:
            return question
        question.general_feedback = _markdown(body["general"], fmt, notes)
        if body["kind"] == TRUEFALSE:
            question.qtype = TRUEFALSE
            wrong, right = (body["feedbacks"] + ["", ""])[:2]
            for value in (True, False):
                correct = value == body["value"]
                question.answers.append(Answer(str(value).lower(), 1.0 if correct else 0.0,
                                               _markdown(right if correct else wrong, fmt, notes)))
            return question
        if body["kind"] != "choices":
            question.qtype = body["kind"]
            return question
        question.qtype = _choice_type(body["choices"])
        for choice in body["choices"]:
            text = " -> ".join(_markdown(part, fmt, notes) for part in choice["parts"])
            question.answers.append(Answer(text, choice["fraction"], _markdown(choice["feedback"], fmt, notes)))
        question.single = not any(c["weighted"] for c in body["choices"])  # %weights%: several answers
        return question


def _markdown(text, fmt, notes):
    """An answer's or feedback's text: in its own [format] when it starts with one, else the
    question's (as Moodle reads it)."""
    for name, own in GIFT_FORMATS.items():
        if text.startswith(f"[{name}]"):
            return to_markdown(text[len(name) + 2:], own, notes)
    return to_markdown(text, fmt, notes)


def _general(children):
    return next((c[1] for c in children if isinstance(c, tuple) and c[0] == "general"), "")


def _choice_type(choices):
    """Moodle's rules: pairs are matching; only right answers (=) are short answer; else choice."""
    if any(c["arrow"] for c in choices):
        return MATCHING
    if all(c["mark"] == "=" for c in choices):
        return SHORTANSWER
    return MULTICHOICE
