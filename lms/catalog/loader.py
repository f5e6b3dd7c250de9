"""Load and validate the content files into a :class:`Catalog`.

Every problem is collected with its file, line and field; if there is any, loading
raises :class:`ContentError` and nothing is served (no half-loaded catalogue)."""

import re
from pathlib import Path as FsPath

import yaml

from .errors import ContentError, ContentProblem
from .fields import LANGS, SourceFile, content_hash
from .markdown_render import render_markdown
from .certificates import read_certificate_policy
from .lint import lint_catalog
from .quizzes import read_draft, read_pulse, read_quiz, share_banks
from .references import check_references
from .roleplays import read_roleplay
from .schema import (
    ALL_TOPICS,
    AUDIENCES,
    LEADERSHIP,
    Catalog,
    Lesson,
    Module,
    Path,
    PathStep,
    Persona,
)
from .yamlfile import Node, load_yaml

_LESSON_NAME = re.compile(r"^(?P<stem>\d{2}-[a-z0-9-]+)\.(?P<lang>[a-z]{2})\.md$")
LESSON_FIELDS = {"id", "topic", "title", "order", "minutes", "version", "objectives"}
MODULE_FIELDS = {"id", "audience", "topic", "order", "title", "summary", "quiz", "requires", "certificate"}
PATH_FIELDS = {"id", "title", "summary", "steps"}
PERSONA_FIELDS = {"id", "name", "cues", "adapt"}


def load_catalog(root):
    """Read ``root``/modules and ``root``/quizzes; return a complete Catalog or raise."""
    reader = _Reader(FsPath(root))
    catalog = reader.read()
    if reader.problems:
        raise ContentError(reader.problems)
    return catalog


def check_draft(path):
    """The problems of one draft file on its own (``load_catalog`` also checks its item ids
    against the quizzes'): what an import checks before it writes."""
    reader = _Reader(FsPath(path).parent)
    file, node = reader._yaml(FsPath(path))
    if node is not None:
        read_draft(file, node, {})
    return reader.problems


class _Reader:
    def __init__(self, root):
        self.root = root
        self.problems = []
        self.sources = {}  # (kind, id) -> (file, node), for errors found across files
        self.broken_quizzes = set()  # ids of quizzes already reported, not to be reported again
        self.broken_lessons = set()  # the same for lessons
        self.draft_files = []  # (file, node) of each draft, read after the quizzes

    def read(self):
        modules_dir, quizzes_dir = self.root / "modules", self.root / "quizzes"
        for folder in (modules_dir, quizzes_dir):
            if not folder.is_dir():
                self.problems.append(ContentProblem(str(folder), None, "folder", "does not exist"))
        if self.problems:
            return None
        lessons = self._read_lessons(modules_dir)
        modules = self._read_modules(modules_dir, lessons)
        personas = self._read_personas(modules_dir / "personas" / "personas.yaml")
        quizzes, items, roleplays, pulses = self._read_quizzes(quizzes_dir, personas)
        drafts = self._read_drafts(items)
        path = self._read_path(modules_dir / "onboarding.yaml")
        check_references(self, modules, lessons, quizzes, path)
        catalog = Catalog(str(self.root), modules, lessons, quizzes, items, personas, path, roleplays,
                          pulses["pulse"], pulses["culture"], drafts)
        if not self.problems:  # the lint reads whole banks: only complete ones
            self.problems.extend(lint_catalog(catalog, self.sources))
        return catalog

    # -- files ---------------------------------------------------------------------------
    @staticmethod
    def _text(file):
        """The file's text, or None after reporting where it stops being UTF-8."""
        raw = file.path.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            file.problem(raw[: exc.start].count(b"\n") + 1, "encoding",
                         f"byte {raw[exc.start]:#04x} at offset {exc.start} is not UTF-8; save the file as UTF-8")
            return None

    def _yaml(self, path):
        file = SourceFile(self, path)
        text = self._text(file)
        if text is None:
            return file, None
        try:
            data = load_yaml(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            file.problem(mark.line + 1 if mark else None, "yaml", exc.problem or str(exc))
            return file, None
        except yaml.YAMLError as exc:
            file.problem(None, "yaml", str(exc))
            return file, None
        if not isinstance(data, Node):
            file.problem(1, "document", "must be a mapping of fields")
            return file, None
        return file, data

    def _front_matter(self, path):
        file = SourceFile(self, path)
        text = self._text(file)
        if text is None:
            return file, None, None
        if not text.startswith("---\n"):
            file.problem(1, "front matter", "the file must start with a line '---'")
            return file, None, None
        end = text.find("\n---\n", 4)
        if end == -1:
            file.problem(1, "front matter", "no closing '---' line")
            return file, None, None
        try:
            meta = load_yaml(text[4:end], line_offset=1)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            file.problem(mark.line + 2 if mark else None, "front matter", exc.problem or str(exc))
            return file, None, None
        if not isinstance(meta, Node):
            file.problem(2, "front matter", "must be a mapping of fields")
            return file, None, None
        body = text[end + 5 :]
        if not body.strip():
            file.problem(text[: end + 5].count("\n") + 1, "body", "the lesson has no text")
        return file, meta, body

    # -- lessons -------------------------------------------------------------------------
    def _read_lessons(self, modules_dir):
        """Group lesson files by id; both languages must agree on their shared fields."""
        per_id = {}
        for path in sorted(modules_dir.glob("*/*.md")):
            match = _LESSON_NAME.match(path.name)
            file = SourceFile(self, path)
            if not match:
                file.problem(None, "file name", "must look like NN-slug.<lang>.md, e.g. 01-listen.en.md")
                continue
            if match["lang"] not in LANGS:
                file.problem(None, "file name", f"language must be one of {', '.join(LANGS)}")
                continue
            file, meta, body = self._front_matter(path)
            if meta is None:
                continue
            file.known(meta, LESSON_FIELDS)
            fields = {
                "id": file.ident(meta, "id"),
                "topic": file.choice(meta, "topic", ALL_TOPICS),
                "title": file.get(meta, "title", str),
                "order": file.get(meta, "order", int),
                "minutes": file.get(meta, "minutes", int),
                "version": file.get(meta, "version", int),
                "objectives": file.get(meta, "objectives", list),
            }
            if fields["minutes"] is not None and not 1 <= fields["minutes"] <= 60:
                file.problem(meta.line_of("minutes"), "minutes", "must be between 1 and 60")
            objectives = fields["objectives"] or []
            if fields["objectives"] is not None and (
                not objectives or not all(isinstance(o, str) and o.strip() for o in objectives)
            ):
                file.problem(meta.line_of("objectives"), "objectives",
                             "must be a list of non-empty lines (quote a line that holds ': ')")
                fields["objectives"] = None
            if None in fields.values():
                self.broken_lessons.add(fields["id"])
                continue
            entry = per_id.setdefault(fields["id"], {"module": path.parent.name, "langs": {}})
            if entry["module"] != path.parent.name:
                file.problem(meta.line_of("id"), "id", f"lesson id {fields['id']!r} is used in another module too")
                continue
            if match["lang"] in entry["langs"]:
                file.problem(meta.line_of("id"), "id", f"a second {match['lang']} file for lesson {fields['id']!r}")
                continue
            entry["langs"][match["lang"]] = (file, meta, fields, body)

        lessons = {}
        for lesson_id, entry in per_id.items():
            langs = entry["langs"]
            any_file = next(iter(langs.values()))[0]
            missing = [lang for lang in LANGS if lang not in langs]
            if missing and lesson_id in self.broken_lessons:
                continue  # the broken file is reported already
            if missing:
                any_file.problem(None, "translation", f"lesson {lesson_id!r} has no {', '.join(missing)} file")
                continue
            base = langs[LANGS[0]][2]
            consistent = True
            for lang in LANGS[1:]:
                file, meta, fields, _ = langs[lang]
                for key in ("topic", "order", "minutes", "version"):
                    if fields[key] != base[key]:
                        file.problem(meta.line_of(key), key, f"differs from the {LANGS[0]} file ({base[key]!r})")
                        consistent = False
            if not consistent:
                continue
            lessons[lesson_id] = Lesson(
                id=lesson_id,
                module_id=entry["module"],
                topic=base["topic"],
                order=base["order"],
                minutes=base["minutes"],
                version=base["version"],
                title={lang: langs[lang][2]["title"] for lang in LANGS},
                objectives={lang: tuple(o.strip() for o in langs[lang][2]["objectives"]) for lang in LANGS},
                html={lang: render_markdown(langs[lang][3]) for lang in LANGS},
            )
        return lessons

    # -- modules -------------------------------------------------------------------------
    def _read_modules(self, modules_dir, lessons):
        modules = {}
        for path in sorted(modules_dir.glob("*/module.yaml")):
            file, node = self._yaml(path)
            if node is None:
                continue
            file.known(node, MODULE_FIELDS)
            module_id = file.ident(node, "id")
            if module_id is not None and module_id != path.parent.name:
                file.problem(node.line_of("id"), "id", f"must equal the folder name {path.parent.name!r}")
                module_id = None
            topic = file.choice(node, "topic", ALL_TOPICS)
            audience = file.choice(node, "audience", AUDIENCES) if "audience" in node else "agents"
            if topic is not None and audience is not None and (topic == LEADERSHIP) != (audience == "leaders"):
                file.problem(node.line_of("topic"), "topic",
                             f"the leaders' track has topic {LEADERSHIP!r}, and only it"
                             if audience == "leaders" else f"{LEADERSHIP!r} is the topic of audience: leaders")
                topic = None
            order = file.get(node, "order", int)
            title = file.texts(node, "title")
            summary = file.texts(node, "summary")
            quiz_id = file.ident(node, "quiz")
            requires = file.get(node, "requires", list, required=False) or []
            certificate = read_certificate_policy(file, node, quiz_id)
            if None in (module_id, topic, audience, order, title, summary, quiz_id) or certificate is False:
                continue
            own = sorted((x for x in lessons.values() if x.module_id == module_id), key=lambda x: x.order)
            for lesson in own:
                if lesson.topic != topic:
                    file.problem(node.line_of("topic"), "topic", f"lesson {lesson.id!r} has topic {lesson.topic!r}")
            if not own:
                file.problem(node.line, "lessons", "the module has no lessons beside it")
            orders = [lesson.order for lesson in own]
            if len(set(orders)) != len(orders):
                file.problem(node.line, "lessons", "two lessons share the same order number")
            modules[module_id] = Module(
                module_id, topic, order, title, summary, quiz_id, tuple(map(str, requires)), tuple(own), audience,
                certificate,
            )
            self.sources["module", module_id] = (file, node)
        return modules

    # -- quizzes -------------------------------------------------------------------------
    def _read_quizzes(self, quizzes_dir, personas):
        quizzes, items, roleplays, pulses = {}, {}, {}, {"pulse": None, "culture": None}
        for path in sorted(quizzes_dir.glob("*/*.yaml")):
            file, node = self._yaml(path)
            if node is None:
                continue
            if node.get("kind") == "draft":  # read once every served item id is known
                self.draft_files.append((file, node))
                continue
            if node.get("kind") in pulses:
                self._read_pulse(file, node, items, pulses)
                continue
            if node.get("kind") == "roleplay":
                found = read_roleplay(file, node, personas, content_hash(node))
                target = roleplays
            else:
                found = read_quiz(file, node, items)
                target = quizzes
            if found is None:
                self.broken_quizzes.add(node.get("id"))
                continue
            if found.id in quizzes or found.id in roleplays:
                other = (quizzes.get(found.id) or roleplays.get(found.id)).path
                file.problem(node.line_of("id"), "id", f"id {found.id!r} is used by {other} too")
                continue
            target[found.id] = found
            self.sources["content", found.id] = (file, node)
        for quiz_id, quiz in list(quizzes.items()):  # once every bank is read
            file, node = self.sources["content", quiz_id]
            if self.broken_quizzes & set(quiz.also_from):  # reported already, in its own file
                quizzes[quiz_id] = None
            else:
                quizzes[quiz_id] = share_banks(file, node, quiz, quizzes)
            if quizzes[quiz_id] is None:
                del quizzes[quiz_id]
                self.broken_quizzes.add(quiz_id)
        return quizzes, items, roleplays, pulses

    def _read_pulse(self, file, node, items, pulses):
        """The support pulse (kind: pulse) or the culture pulse (kind: culture) into ``pulses``:
        one of each at most. A culture statement is no quiz item: its ids are its file's own."""
        kind = node.get("kind")
        if pulses[kind] is not None:
            name = "support pulse" if kind == "pulse" else "culture pulse"
            file.problem(node.line_of("kind"), "kind", f"a second {name}; {pulses[kind].path} is the {name}")
            return
        pulses[kind] = read_pulse(file, node, items if kind == "pulse" else {}, culture=kind == "culture")
        if pulses[kind] is not None:
            self.sources["content", pulses[kind].id] = (file, node)

    def _read_drafts(self, items):
        """Imported items awaiting their author: checked, their ids kept clear of every served
        item's (so moving them into a quiz cannot clash), never asked."""
        drafts, draft_items = {}, {}
        for file, node in self.draft_files:
            found = read_draft(file, node, draft_items)
            if found is None:
                continue
            draft_id, parsed = found
            if draft_id in drafts:
                file.problem(node.line_of("id"), "id", f"a second draft with id {draft_id!r}")
                continue
            for raw, item in zip(node["items"], parsed):
                if item.id in items:
                    file.problem(raw.line_of("id"), f"item {item.id}.id", f"item id {item.id!r} is already used "
                                 "by a quiz")
            drafts[draft_id] = parsed
        return drafts

    # -- personas and path ---------------------------------------------------------------
    def _read_personas(self, path):
        if not path.exists():
            return {}
        file, node = self._yaml(path)
        personas = {}
        file.known(node, {"personas"})
        for index, raw in enumerate(file.get(node, "personas", list) or [] if node else []):
            where = f"personas[{index}]"
            file.known(raw, PERSONA_FIELDS, where)
            persona_id = file.ident(raw, "id", f"{where}.id")
            texts = [file.texts(raw, key, f"{where}.{key}") for key in ("name", "cues", "adapt")]
            if persona_id and None not in texts:
                personas[persona_id] = Persona(persona_id, *texts)
        return personas

    def _read_path(self, path):
        if not path.exists():
            self.problems.append(ContentProblem(str(path.relative_to(self.root)), None, "file", "does not exist"))
            return None
        file, node = self._yaml(path)
        if node is None:
            return None
        file.known(node, PATH_FIELDS)
        path_id = file.ident(node, "id")
        title, summary = file.texts(node, "title"), file.texts(node, "summary")
        steps = []
        for index, raw in enumerate(file.get(node, "steps", list) or []):
            file.known(raw, {"module", "day"}, f"steps[{index}]")
            module_id = file.ident(raw, "module", f"steps[{index}].module")
            day = file.get(raw, "day", int, f"steps[{index}].day")
            if module_id and day is not None:
                steps.append(PathStep(module_id, day))
        if None in (path_id, title, summary):
            return None
        self.sources["path", path_id] = (file, node)
        return Path(path_id, title, summary, tuple(steps))
