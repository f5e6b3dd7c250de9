"""Role-play files: a customer conversation as a graph of nodes, validated at load.

Problems name the file and the node: unreachable nodes, dead ends, cycles, missing
translations, choices that score nothing, and a best path that does not end resolved."""

from dataclasses import dataclass

from .fields import SourceFile
from .schema import TOPICS

OUTCOMES = ("resolved", "escalated", "lost")
CRITERION_DIMENSIONS = ("knowledge", "belief")
ROLEPLAY_FIELDS = {"id", "kind", "topic", "version", "title", "situation", "persona", "mood", "criteria", "start",
                   "nodes"}
NODE_FIELDS = {"customer", "outcome", "persona", "persona_check", "open_reply", "open_reply_next", "model_answer",
               "anchors", "choices"}
#: The levels a coach scores each criterion of a typed reply on (engine.REVIEW_MAX is the top).
ANCHOR_LEVELS = (0, 1, 2)
CHOICE_FIELDS = {"id", "text", "next", "best", "scores", "feedback"}


@dataclass(frozen=True)
class Criterion:
    id: str
    dimension: str
    name: dict


@dataclass(frozen=True)
class Choice:
    id: str
    text: dict
    next: str
    scores: dict  # criterion id -> value in [0, 1]
    feedback: dict
    best: bool


@dataclass(frozen=True)
class Node:
    id: str
    customer: dict
    choices: tuple
    outcome: str | None
    persona_check: bool
    persona: str  # the persona the agent should recognise here
    open_reply_next: str | None
    model_answer: dict | None = None  # lang -> a strong typed reply here, for the coach scoring one
    anchors: dict | None = None  # criterion id -> level (0, 1, 2) -> lang -> what such a reply looks like

    @property
    def is_end(self):
        return self.outcome is not None

    def choice(self, choice_id):
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def best_choice(self):
        return next((c for c in self.choices if c.best), None)


@dataclass(frozen=True)
class Roleplay:
    id: str
    topic: str
    title: dict
    situation: dict
    persona: str
    mood: dict
    criteria: tuple
    start: str
    nodes: dict
    version: str
    path: str

    def criterion(self, criterion_id):
        return next(c for c in self.criteria if c.id == criterion_id)

    def best_path(self):
        """Node ids along the best choices, from the start to an ending."""
        path, node = [], self.nodes[self.start]
        while not node.is_end:
            path.append(node.id)
            node = self.nodes[node.best_choice.next]
        return path + [node.id]


def read_roleplay(file: SourceFile, raw, personas, version):
    """Build a :class:`Roleplay` from a parsed file, or report its problems and return None."""
    before = len(file.reader.problems)
    file.known(raw, ROLEPLAY_FIELDS)
    rp_id = file.ident(raw, "id")
    topic = file.choice(raw, "topic", TOPICS)
    title = file.texts(raw, "title")
    situation = file.texts(raw, "situation")
    mood = file.texts(raw, "mood")
    persona = file.ident(raw, "persona")
    if persona and personas and persona not in personas:
        file.problem(raw.line_of("persona"), "persona", f"no persona {persona!r} in personas.yaml")
    criteria = _read_criteria(file, raw)
    start = file.ident(raw, "start")
    raw_nodes = file.get(raw, "nodes", dict)
    if None in (rp_id, topic, title, situation, mood, persona, criteria, start, raw_nodes):
        return None
    criterion_ids = {c.id for c in criteria}
    nodes = {}
    for node_id, raw_node in raw_nodes.items():
        node = _read_node(file, str(node_id), raw_node, criterion_ids, set(map(str, raw_nodes)), personas, persona)
        if node is not None:
            nodes[node.id] = node
    if len(file.reader.problems) > before:
        return None
    if start not in nodes:
        file.problem(raw.line_of("start"), "start", f"no node {start!r}")
        return None
    _check_graph(file, raw_nodes, nodes, start)
    if len(file.reader.problems) > before:
        return None
    return Roleplay(rp_id, topic, title, situation, persona, mood, criteria, start, nodes, version, file.name)


def _read_criteria(file, raw):
    entries = file.get(raw, "criteria", list)
    if entries is None:
        return None
    criteria = []
    for index, entry in enumerate(entries):
        where = f"criteria[{index}]"
        file.known(entry, {"id", "dimension", "name"}, where)
        criterion_id = file.ident(entry, "id", f"{where}.id")
        dimension = file.choice(entry, "dimension", CRITERION_DIMENSIONS, f"{where}.dimension")
        name = file.texts(entry, "name", f"{where}.name")
        if None in (criterion_id, dimension, name):
            return None
        criteria.append(Criterion(criterion_id, dimension, name))
    if not criteria:
        file.problem(raw.line_of("criteria"), "criteria", "needs at least one criterion")
        return None
    return tuple(criteria)


def _read_node(file, node_id, raw, criterion_ids, node_ids, personas, default_persona):
    where = f"nodes.{node_id}"
    file.known(raw, NODE_FIELDS, where)
    customer = file.texts(raw, "customer", f"{where}.customer")
    outcome = file.get(raw, "outcome", str, f"{where}.outcome", required=False)
    if outcome is not None and outcome not in OUTCOMES:
        file.problem(raw.line_of("outcome"), f"{where}.outcome", f"must be one of {', '.join(OUTCOMES)}")
    persona = file.ident(raw, "persona", f"{where}.persona") if "persona" in raw else default_persona
    if persona and personas and persona not in personas:
        file.problem(raw.line_of("persona"), f"{where}.persona", f"no persona {persona!r} in personas.yaml")
    open_reply_next = model_answer = anchors = None
    if raw.get("open_reply"):
        open_reply_next = file.ident(raw, "open_reply_next", f"{where}.open_reply_next")
        if open_reply_next and open_reply_next not in node_ids:
            file.problem(raw.line_of("open_reply_next"), f"{where}.open_reply_next", f"no node {open_reply_next!r}")
        model_answer = file.texts(raw, "model_answer", f"{where}.model_answer")
        anchors = _read_anchors(file, raw, where, criterion_ids)
    else:
        for key in ("model_answer", "anchors"):
            if key in raw:
                file.problem(raw.line_of(key), f"{where}.{key}", "only a typed-reply node (open_reply) has it")
    choices = []
    raw_choices = file.get(raw, "choices", list, f"{where}.choices", required=outcome is None) or []
    if outcome is not None and raw_choices:
        file.problem(raw.line_of("choices"), f"{where}.choices", "an ending node has no choices")
    if outcome is None and "choices" in raw and not raw_choices:
        file.problem(raw.line_of("choices"), f"{where}.choices", "a dead end: the node has no choices and no outcome")
    seen = set()
    for index, raw_choice in enumerate(raw_choices):
        choice = _read_choice(file, raw_choice, f"{where}.choices[{index}]", criterion_ids, node_ids)
        if choice is None:
            continue
        if choice.id in seen:
            file.problem(raw_choice.line_of("id"), f"{where}.choices[{index}].id", f"choice id {choice.id!r} is repeated")
        seen.add(choice.id)
        choices.append(choice)
    if sum(c.best for c in choices) > 1:
        file.problem(raw.line_of("choices"), f"{where}.choices", "more than one choice is marked best")
    if customer is None:
        return None
    return Node(node_id, customer, tuple(choices), outcome, bool(raw.get("persona_check")), persona, open_reply_next,
                model_answer, anchors)


def _read_anchors(file, raw, where, criterion_ids):
    """What a typed reply scoring 0, 1 and 2 on each criterion looks like at this node."""
    anchors = file.get(raw, "anchors", dict, f"{where}.anchors")
    if anchors is None:
        return None
    found = {}
    for criterion in sorted(criterion_ids):
        levels = anchors.get(criterion)
        field = f"{where}.anchors.{criterion}"
        if not isinstance(levels, dict):
            file.problem(anchors.line_of(criterion) if criterion in anchors else anchors.line, field,
                         "is missing: a typed reply is scored on every criterion, 0 to 2")
            continue
        file.known(levels, set(ANCHOR_LEVELS), field)
        texts = {level: file.texts(levels, level, f"{field}.{level}") for level in ANCHOR_LEVELS}
        if None not in texts.values():
            found[criterion] = texts
    file.known(anchors, criterion_ids, f"{where}.anchors")
    return found


def _read_choice(file, raw, where, criterion_ids, node_ids):
    file.known(raw, CHOICE_FIELDS, where)
    choice_id = file.ident(raw, "id", f"{where}.id")
    text = file.texts(raw, "text", f"{where}.text")
    feedback = file.texts(raw, "feedback", f"{where}.feedback")
    next_id = file.ident(raw, "next", f"{where}.next")
    scores = file.get(raw, "scores", dict, f"{where}.scores")
    if next_id and next_id not in node_ids:
        file.problem(raw.line_of("next"), f"{where}.next", f"no node {next_id!r}")
    if scores is not None:
        if not scores:
            file.problem(raw.line_of("scores"), f"{where}.scores", "a choice must score at least one criterion")
        for criterion, value in scores.items():
            if criterion not in criterion_ids:
                file.problem(scores.line_of(criterion), f"{where}.scores.{criterion}", "is not one of the criteria")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                file.problem(scores.line_of(criterion), f"{where}.scores.{criterion}", "must be a number from 0 to 1")
    if None in (choice_id, text, feedback, next_id, scores):
        return None
    return Choice(choice_id, text, next_id, {k: float(v) for k, v in scores.items()}, feedback, bool(raw.get("best")))


def _check_graph(file, raw_nodes, nodes, start):
    """Every node reachable, no cycles, and the best path ends resolved."""
    def line(node_id):
        return raw_nodes[node_id].line if node_id in raw_nodes else None

    def targets(node):
        return [c.next for c in node.choices] + ([node.open_reply_next] if node.open_reply_next else [])

    state, reached = {}, set()

    def visit(node_id, trail):
        if state.get(node_id) == "active":
            file.problem(line(node_id), f"nodes.{node_id}", f"the conversation loops: {' -> '.join(trail + [node_id])}")
            return
        if state.get(node_id) == "done":
            return
        state[node_id] = "active"
        reached.add(node_id)
        for target in targets(nodes[node_id]):
            visit(target, trail + [node_id])
        state[node_id] = "done"

    visit(start, [])
    for node_id in nodes:
        if node_id not in reached:
            file.problem(line(node_id), f"nodes.{node_id}", f"is unreachable from the start node {start!r}")
    node, seen = nodes[start], set()
    while not node.is_end and node.id not in seen:
        seen.add(node.id)
        best = node.best_choice
        if best is None:
            file.problem(line(node.id), f"nodes.{node.id}.choices", "is on the best path but no choice is marked best")
            return
        node = nodes[best.next]
    if node.is_end and node.outcome != "resolved":
        file.problem(line(node.id), f"nodes.{node.id}.outcome", "the best path must end resolved")
