"""Quiz, refresher and pulse files: items of every registered kind, each validated, every
problem reported with its file, line and field."""

import math
from dataclasses import replace

from .fields import PLACEHOLDER, content_hash
from .items import KINDS
from .schema import (ALL_TOPICS, DIMENSIONS, LENSES, TOPICS, UNTAGGED, CultureItem, DrawRule, Item, Option, Pulse, Quiz,
                     Retakes)
from .yamlfile import Node

QUIZ_FIELDS = {"id", "kind", "module", "topic", "title", "pass_mark", "time_limit_minutes", "lessons", "version",
               "draw", "retakes", "also_from", "items"}
PULSE_FIELDS = {"id", "kind", "title", "intro", "period_days", "version", "items"}
DRAFT_FIELDS = {"id", "kind", "source", "items"}
ITEM_FIELDS = {"id", "type", "topic", "dimension", "tags", "lesson", "points", "shuffle", "text", "options", "answer",
               "idea", "explanation", "reversed"}
PULSE_ITEM_FIELDS = {"id", "type", "topic", "dimension", "reversed", "text"}
CULTURE_ITEM_FIELDS = {"id", "lens", "reversed", "text"}
RULE_FIELDS = {"dimension", "tag", "count"}
RETAKE_FIELDS = {"cooldown_minutes", "per_day", "max_attempts"}
#: How many times what a rule draws its pool must hold: two attempts in a row then share no
#: item; a refresher is re-taken at about 2, 7 and 21 days, so three draws must not repeat.
POOL_FACTOR = {"quiz": 2.5, "refresher": 3}


def read_quiz(file, node, items):
    """A quiz or refresher from a parsed file, its items added to ``items``; None after
    reporting its problems."""
    before = len(file.reader.problems)
    file.known(node, QUIZ_FIELDS)
    quiz_id = file.ident(node, "id")
    kind = file.choice(node, "kind", ("quiz", "refresher"))
    topic = file.choice(node, "topic", ALL_TOPICS)
    title = file.texts(node, "title")
    pass_mark = file.get(node, "pass_mark", (int, float))
    if pass_mark is not None and not 0 < pass_mark <= 1:
        file.problem(node.line_of("pass_mark"), "pass_mark", "must be above 0 and at most 1")
    limit = file.get(node, "time_limit_minutes", int, required=False)
    if limit is not None and limit < 1:
        file.problem(node.line_of("time_limit_minutes"), "time_limit_minutes", "must be at least 1")
    module_id = file.ident(node, "module") if kind == "quiz" else None
    lessons = file.get(node, "lessons", list, required=kind == "refresher") or []
    retakes = _read_retakes(file, node)
    draw = _read_draw(file, node)
    also_from = file.get(node, "also_from", list, required=False) or []
    if not all(isinstance(other, str) for other in also_from):
        file.problem(node.line_of("also_from"), "also_from", "must be a list of quiz ids")
    parsed = _read_items(file, node, items, lambda raw, field: _read_item(file, raw, field))
    if len(file.reader.problems) > before or None in (quiz_id, kind, topic, title, pass_mark, draw, parsed):
        return None
    return Quiz(quiz_id, kind, module_id, topic, title, float(pass_mark), limit, tuple(map(str, lessons)),
                tuple(parsed), content_hash(node), file.name, draw, retakes, tuple(also_from))


def share_banks(file, node, quiz, quizzes):
    """``quiz`` with the items of the quizzes it draws from too (``also_from``), its pools
    checked; None after reporting a problem."""
    before = len(file.reader.problems)
    shared = []
    for other_id in quiz.also_from:
        other = quizzes.get(other_id)
        if other is None or other.also_from or other_id == quiz.id:
            file.problem(node.line_of("also_from"), "also_from", f"no other quiz {other_id!r} with a bank of its own "
                         "to draw from")
            continue
        shared += other.items
    quiz = replace(quiz, shared=tuple(shared))
    _check_pools(file, node, quiz)
    return quiz if len(file.reader.problems) == before else None


def read_pulse(file, node, items, culture=False):
    """The support pulse file (kind: pulse), or with ``culture`` the culture pulse's (kind:
    culture, items by lens); None after reporting its problems."""
    before = len(file.reader.problems)
    file.known(node, PULSE_FIELDS)
    pulse_id = file.ident(node, "id")
    title, intro = file.texts(node, "title"), file.texts(node, "intro")
    period = file.get(node, "period_days", int)
    if period is not None and not 7 <= period <= 366:
        file.problem(node.line_of("period_days"), "period_days", "must be from 7 to 366 days")
    read_one = _read_culture_item if culture else _read_pulse_item
    parsed = _read_items(file, node, items, lambda raw, field: read_one(file, raw, field))
    if culture and parsed:
        missing = [lens for lens in LENSES if lens not in {item.lens for item in parsed}]
        if missing:
            file.problem(node.line_of("items"), "items", f"no statement about the lens {missing[0]!r}: a culture "
                         f"pulse asks about every lens ({', '.join(LENSES)})")
    if len(file.reader.problems) > before or None in (pulse_id, title, intro, period, parsed):
        return None
    return Pulse(pulse_id, title, intro, period, tuple(parsed), content_hash(node), file.name)


def read_draft(file, node, items):
    """A draft file (kind: draft, written by ``flask lms import-questions``): its items checked
    like a quiz's, except that they may still be untagged (dimension: untagged) and hold the
    import's placeholders. Returns (id, items) or None after reporting; the items are never
    asked until their author moves them into a quiz."""
    before = len(file.reader.problems)
    file.draft = True
    file.known(node, DRAFT_FIELDS)
    draft_id = file.ident(node, "id")
    file.get(node, "source", str, required=False)
    parsed = _read_items(file, node, items, lambda raw, field: _read_item(file, raw, field))
    if len(file.reader.problems) > before or None in (draft_id, parsed):
        return None
    return draft_id, tuple(parsed)


def _read_items(file, node, items, read_one):
    raw_items = file.get(node, "items", list)
    if raw_items is None:
        return None
    if not raw_items:
        file.problem(node.line_of("items"), "items", "the file has no items")
        return None
    parsed = []
    for index, raw in enumerate(raw_items):
        item = read_one(raw, _item_field(raw, index))
        if item is None:
            continue
        if item.id in items:
            file.problem(raw.line_of("id"), _item_field(raw, index) + ".id", f"item id {item.id!r} is already used")
            continue
        items[item.id] = item
        parsed.append(item)
    return parsed if len(parsed) == len(raw_items) else None


def _item_field(raw, index):
    """How problems name an item: by its id when it has one."""
    item_id = raw.get("id") if isinstance(raw, dict) else None
    return f"item {item_id}" if isinstance(item_id, str) else f"items[{index}]"


def _read_retakes(file, node):
    raw = file.get(node, "retakes", dict, required=False)
    if raw is None:
        return Retakes()
    file.known(raw, RETAKE_FIELDS, "retakes")
    values = {}
    for key, lowest in (("cooldown_minutes", 0), ("per_day", 1), ("max_attempts", 0)):
        value = file.get(raw, key, int, f"retakes.{key}", required=False)
        if value is not None and value < lowest:
            file.problem(raw.line_of(key), f"retakes.{key}", f"must be at least {lowest}")
        elif value is not None:
            values[key] = value
    return Retakes(**values)


def _read_draw(file, node):
    raw_rules = file.get(node, "draw", list)
    if raw_rules is None:
        return None
    if not raw_rules:
        file.problem(node.line_of("draw"), "draw", "needs at least one rule")
        return None
    rules = []
    for index, raw in enumerate(raw_rules):
        where = f"draw[{index}]"
        if not isinstance(raw, Node):
            file.problem(node.line_of("draw"), where, "must be a mapping like {dimension: knowledge, count: 8}")
            return None
        file.known(raw, RULE_FIELDS, where)
        dimension = file.choice(raw, "dimension", DIMENSIONS, f"{where}.dimension")
        count = file.get(raw, "count", int, f"{where}.count")
        tag = file.ident(raw, "tag", f"{where}.tag") if "tag" in raw else None
        if count is not None and count < 1:
            file.problem(raw.line_of("count"), f"{where}.count", "must be at least 1")
            count = None
        if dimension is None or count is None:
            return None
        rule = DrawRule(dimension, count, tag)
        if rule in rules:
            file.problem(raw.line, where, "repeats an earlier rule")
        rules.append(rule)
    return tuple(rules)


def _check_pools(file, node, quiz):
    """Every rule's pool large enough for fresh draws; every item drawable by some rule."""
    factor = POOL_FACTOR[quiz.kind]
    pools = quiz.pools()
    for index, (rule, pool) in enumerate(pools.items()):
        needed = math.ceil(rule.count * factor)
        if len(pool) < needed:
            what = f"{rule.dimension} items" + (f" tagged {rule.tag}" if rule.tag else "")
            file.problem(node["draw"][index].line, f"draw[{index}]",
                         f"draws {rule.count} {what} but the bank has {len(pool)}; a {quiz.kind} needs at least "
                         f"{needed} ({factor:g} x the draw) so that attempts in a row do not repeat items")
        if len({item.graded for item in pool}) > 1:
            file.problem(node["draw"][index].line, f"draw[{index}]",
                         "mixes graded and agreement items, so attempts would differ in what is marked; "
                         "split the rule by tag (e.g. tag: agreement)")
    if not any(item.graded for pool in pools.values() for item in pool):
        file.problem(node.line_of("draw"), "draw", "an attempt must draw at least one graded item")
    pooled = {item.id for pool in pools.values() for item in pool}
    for index, item in enumerate(quiz.items):  # its own items; a shared bank's may go unused
        if item.id not in pooled:
            file.problem(node["items"][index].line, f"item {item.id}",
                         f"no draw rule matches it ({item.dimension}, tags {', '.join(item.all_tags)}): "
                         "it would never be asked")


def _common_fields(file, raw, field, allowed, topics=ALL_TOPICS):
    """id, type, topic, dimension and text, which every item has; None when any is broken."""
    if not isinstance(raw, Node):
        file.problem(None, field, "must be a mapping")
        return None
    file.known(raw, allowed, field)
    dimensions = (*DIMENSIONS, UNTAGGED) if file.draft else DIMENSIONS
    fields = (file.ident(raw, "id", f"{field}.id"), file.choice(raw, "type", tuple(KINDS), f"{field}.type"),
              file.choice(raw, "topic", topics, f"{field}.topic"),
              file.choice(raw, "dimension", dimensions, f"{field}.dimension"),
              file.texts(raw, "text", f"{field}.text", markdown=True))
    return fields


def _read_item(file, raw, field):
    common = _common_fields(file, raw, field, ITEM_FIELDS)
    if common is None:
        return None
    item_id, type_, topic, dimension, text = common
    explanation = file.texts(raw, "explanation", f"{field}.explanation", markdown=True)
    points = file.get(raw, "points", (int, float), f"{field}.points", required=False)
    reversed_ = file.get(raw, "reversed", bool, f"{field}.reversed", required=False) or False
    shuffle = file.get(raw, "shuffle", bool, f"{field}.shuffle", required=False)
    tags = _read_tags(file, raw, field)
    lesson = file.ident(raw, "lesson", f"{field}.lesson") if "lesson" in raw else None
    if type_ is None:
        return None
    kind = KINDS[type_]
    if dimension not in (None, UNTAGGED) and dimension not in kind.dimensions:
        file.problem(raw.line_of("dimension"), f"{field}.dimension",
                     f"{_article(type_)} {type_} item in a quiz measures {' or '.join(kind.dimensions)}"
                     + ("; support is asked in the support pulse" if dimension == "support" else ""))
        dimension = None
    if points is not None and points <= 0:
        file.problem(raw.line_of("points"), f"{field}.points", "must be above 0")
    options = ()
    if kind.has_options:
        options = _read_options(file, raw, field)
    elif "options" in raw:
        file.problem(raw.line_of("options"), f"{field}.options", f"a {type_} item has no options")
    if shuffle is not None and not kind.has_options:
        file.problem(raw.line_of("shuffle"), f"{field}.shuffle", f"a {type_} item has no options to shuffle")
    if reversed_ and type_ != "agreement":
        file.problem(raw.line_of("reversed"), f"{field}.reversed", "only agreement items can be reversed")
    idea = None
    if kind.graded:
        idea = file.texts(raw, "idea", f"{field}.idea", markdown=True)
    elif "idea" in raw:
        file.problem(raw.line_of("idea"), f"{field}.idea", "only graded items have an idea (shown after a failed attempt)")
    if kind.graded and raw.get("answer") is None:
        file.problem(raw.line, f"{field}.answer", "is missing")
        return None
    errors_before = len(file.reader.problems)
    answer = kind.check_answer(
        raw.get("answer"), {o.id for o in options or ()},
        lambda message: file.problem(raw.line_of("answer"), f"{field}.answer", message),
    )
    if answer is not None and not file.draft and any(PLACEHOLDER in text for text in kind.answer_texts(answer)):
        file.problem(raw.line_of("answer"), f"{field}.answer",
                     f"still holds the import's placeholder {PLACEHOLDER}...]]: write the accepted answers")
    if None in (item_id, topic, dimension, text, explanation, options, tags) or (kind.graded and idea is None) \
            or len(file.reader.problems) > errors_before:
        return None
    return Item(item_id, type_, topic, dimension, float(points or 1), text, options, answer,
                reversed_, explanation, content_hash(raw), tags, lesson, idea, True if shuffle is None else shuffle)


def _read_pulse_item(file, raw, field):
    common = _common_fields(file, raw, field, PULSE_ITEM_FIELDS, TOPICS)
    if common is None:
        return None
    item_id, type_, topic, dimension, text = common
    reversed_ = file.get(raw, "reversed", bool, f"{field}.reversed", required=False) or False
    if type_ is not None and type_ != "agreement":
        file.problem(raw.line_of("type"), f"{field}.type", "a pulse holds agreement items only")
        return None
    if dimension is not None and dimension != "support":
        file.problem(raw.line_of("dimension"), f"{field}.dimension", "a pulse measures support only")
        return None
    if None in (item_id, type_, topic, dimension, text):
        return None
    return Item(item_id, type_, topic, dimension, 1.0, text, (), None, reversed_, {}, content_hash(raw))


def _read_culture_item(file, raw, field):
    if not isinstance(raw, Node):
        file.problem(None, field, "must be a mapping")
        return None
    file.known(raw, CULTURE_ITEM_FIELDS, field)
    item_id = file.ident(raw, "id", f"{field}.id")
    lens = file.choice(raw, "lens", LENSES, f"{field}.lens")
    reversed_ = file.get(raw, "reversed", bool, f"{field}.reversed", required=False) or False
    text = file.texts(raw, "text", f"{field}.text", markdown=True)
    if None in (item_id, lens, text):
        return None
    return CultureItem(item_id, lens, reversed_, text, content_hash(raw))


def _read_tags(file, raw, field):
    tags = file.get(raw, "tags", list, f"{field}.tags", required=False)
    if tags is None:
        return ()
    if not all(isinstance(tag, str) and tag for tag in tags):
        file.problem(raw.line_of("tags"), f"{field}.tags", "must be a list of short names")
        return None
    return tuple(tags)


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
        file.known(option, {"id", "text"}, where)
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


def _article(word):
    return "an" if word[0] in "aeiou" else "a"
