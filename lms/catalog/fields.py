"""Reading fields of one content file, reporting each problem with its line and field."""

import difflib
import hashlib
import json
import re

from .errors import ContentProblem
from .markdown_render import render_markdown
from .yamlfile import Node

LANGS = ("en", "fa")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


#: Marks text an import could not supply (a translation, an idea): accepted only in a draft
#: file (kind: draft), refused anywhere a learner could read it.
PLACEHOLDER = "[[TODO"


class SourceFile:
    """Reporting helpers bound to one file."""

    def __init__(self, reader, path):
        self.reader = reader
        self.path = path
        self.name = str(path.relative_to(reader.root))
        self.draft = False  # a draft (imported items awaiting their author) may hold placeholders

    def problem(self, line, field, message):
        self.reader.problems.append(ContentProblem(self.name, line, field, message))

    def get(self, node, key, types, field=None, required=True):
        """``node[key]`` if it has one of ``types``; otherwise report and return None."""
        field = field or key
        if not isinstance(node, dict) or key not in node or node[key] is None:
            if required:
                self.problem(getattr(node, "line", None), field, "is missing")
            return None
        value = node[key]
        if isinstance(value, bool) and bool not in _as_tuple(types):
            value = None  # YAML's yes/no must not pass as a number or a string
        if value is None or not isinstance(value, types):
            self.problem(line_of(node, key), field, f"must be {_type_names(types)}")
            return None
        return value

    def texts(self, node, key, field=None, markdown=False, required=True):
        """A per-language mapping {en: ..., fa: ...} with both languages present."""
        field = field or key
        value = self.get(node, key, dict, field, required)
        if value is None:
            return None
        out = {}
        for lang in LANGS:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.problem(line_of(value, lang), f"{field}.{lang}", "is missing or empty")
                continue
            if PLACEHOLDER in text and not self.draft:
                self.problem(line_of(value, lang), f"{field}.{lang}",
                             f"still holds the import's placeholder {PLACEHOLDER}...]]: write the text")
                continue
            out[lang] = render_markdown(text) if markdown else text.strip()
        for extra in set(value) - set(LANGS):
            self.problem(line_of(value, extra), f"{field}.{extra}", f"unknown language (use {', '.join(LANGS)})")
        return out if len(out) == len(LANGS) else None

    def known(self, node, allowed, field=None):
        """Report every key of ``node`` outside ``allowed``: a mistyped field would otherwise be
        ignored and its setting silently lost (``time_limit_minute: 20`` leaving a quiz untimed)."""
        if not isinstance(node, dict):
            return
        for key in node:
            if key in allowed:
                continue
            names = sorted(str(name) for name in allowed)
            near = difflib.get_close_matches(str(key), names, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (known: {', '.join(names)})"
            self.problem(line_of(node, key), f"{field}.{key}" if field else str(key), "is not a known field" + hint)

    def choice(self, node, key, allowed, field=None):
        value = self.get(node, key, str, field)
        if value is not None and value not in allowed:
            self.problem(line_of(node, key), field or key, f"must be one of {', '.join(allowed)}, not {value!r}")
            return None
        return value

    def ident(self, node, key, field=None):
        value = self.get(node, key, str, field)
        if value is not None and not _ID.match(value):
            self.problem(line_of(node, key), field or key, "must be lower-case letters, digits, - or _")
            return None
        return value


def line_of(node, key):
    return node.line_of(key) if isinstance(node, Node) else None


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _type_names(types):
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "text",
             list: "a list", dict: "a mapping"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in _as_tuple(types)))


def content_hash(data):
    """A short, stable hash of parsed content: the version evidence rows are tied to."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=sorted)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
