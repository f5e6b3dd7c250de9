"""Quiz and refresher files: items of every registered kind, each validated, every
problem reported with its file, line and field."""

from .fields import content_hash
from .items import KINDS
from .schema import DIMENSIONS, TOPICS, Item, Option, Quiz
from .yamlfile import Node


def read_quiz(file, node, items):
    """A quiz or refresher from a parsed file, its items added to ``items``; None after
    reporting its problems."""
    quiz_id = file.ident(node, "id")
    kind = file.choice(node, "kind", ("quiz", "refresher"))
    topic = file.choice(node, "topic", TOPICS)
    title = file.texts(node, "title")
    pass_mark = file.get(node, "pass_mark", (int, float))
    if pass_mark is not None and not 0 < pass_mark <= 1:
        file.problem(node.line_of("pass_mark"), "pass_mark", "must be above 0 and at most 1")
        pass_mark = None
    limit = file.get(node, "time_limit_minutes", int, required=False)
    if limit is not None and limit < 1:
        file.problem(node.line_of("time_limit_minutes"), "time_limit_minutes", "must be at least 1")
    module_id = file.ident(node, "module") if kind == "quiz" else None
    lessons = file.get(node, "lessons", list, required=kind == "refresher") or []
    raw_items = file.get(node, "items", list)
    if not raw_items:
        if raw_items is not None:
            file.problem(node.line_of("items"), "items", "the quiz has no items")
        return None
    parsed = []
    for index, raw in enumerate(raw_items):
        item = _read_item(file, raw, f"items[{index}]")
        if item is None:
            continue
        if item.id in items:
            file.problem(raw.line_of("id"), f"items[{index}].id", f"item id {item.id!r} is already used")
            continue
        items[item.id] = item
        parsed.append(item)
    if None in (quiz_id, kind, topic, title, pass_mark) or len(parsed) != len(raw_items):
        return None
    if not any(item.graded for item in parsed):
        file.problem(node.line_of("items"), "items", "a quiz needs at least one graded item")
        return None
    return Quiz(
        quiz_id, kind, module_id, topic, title, float(pass_mark), limit, tuple(map(str, lessons)),
        tuple(parsed), content_hash(node), file.name,
    )

def _read_item(file, raw, field):
    if not isinstance(raw, Node):
        file.problem(None, field, "must be a mapping")
        return None
    item_id = file.ident(raw, "id", f"{field}.id")
    type_ = file.choice(raw, "type", tuple(KINDS), f"{field}.type")
    topic = file.choice(raw, "topic", TOPICS, f"{field}.topic")
    dimension = file.choice(raw, "dimension", DIMENSIONS, f"{field}.dimension")
    text = file.texts(raw, "text", f"{field}.text", markdown=True)
    explanation = file.texts(raw, "explanation", f"{field}.explanation", markdown=True)
    points = file.get(raw, "points", (int, float), f"{field}.points", required=False)
    reversed_ = file.get(raw, "reversed", bool, f"{field}.reversed", required=False) or False
    if type_ is None:
        return None
    kind = KINDS[type_]
    if dimension is not None and dimension not in kind.dimensions:
        file.problem(raw.line_of("dimension"), f"{field}.dimension",
                     f"a {type_} item measures {' or '.join(kind.dimensions)}")
        dimension = None
    if points is not None and points <= 0:
        file.problem(raw.line_of("points"), f"{field}.points", "must be above 0")
    options = ()
    if kind.has_options:
        options = _read_options(file, raw, field)
    elif "options" in raw:
        file.problem(raw.line_of("options"), f"{field}.options", f"a {type_} item has no options")
    if reversed_ and type_ != "agreement":
        file.problem(raw.line_of("reversed"), f"{field}.reversed", "only agreement items can be reversed")
    if kind.graded and raw.get("answer") is None:
        file.problem(raw.line, f"{field}.answer", "is missing")
        return None
    errors_before = len(file.reader.problems)
    answer = kind.check_answer(
        raw.get("answer"), {o.id for o in options or ()},
        lambda message: file.problem(raw.line_of("answer"), f"{field}.answer", message),
    )
    if None in (item_id, topic, dimension, text, explanation, options) or len(file.reader.problems) > errors_before:
        return None
    return Item(item_id, type_, topic, dimension, float(points or 1), text, options, answer,
                reversed_, explanation, content_hash(raw))

def _read_options(file, raw, field):
    options_raw = file.get(raw, "options", list, f"{field}.options")
    if options_raw is None:
        return None
    if not 2 <= len(options_raw) <= 6:
        file.problem(raw.line_of("options"), f"{field}.options", "needs 2 to 6 options")
        return None
    options, seen = [], set()
    for index, option in enumerate(options_raw):
        where = f"{field}.options[{index}]"
        option_id = file.ident(option, "id", f"{where}.id")
        text = file.texts(option, "text", f"{where}.text")
        if option_id in seen:
            file.problem(option.line_of("id"), f"{where}.id", f"option id {option_id!r} is repeated")
            return None
        if option_id is None or text is None:
            return None
        seen.add(option_id)
        options.append(Option(option_id, text))
    return tuple(options)
