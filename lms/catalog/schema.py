"""The content model: frozen dataclasses built once from the files and shared by every request."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

from .items import KINDS

TOPICS = ("communication", "personas", "problem_solving", "product", "policies")
#: The coach and manager track's own topic: never in an agent's gap grid.
LEADERSHIP = "leadership"
ALL_TOPICS = (*TOPICS, LEADERSHIP)
AUDIENCES = ("agents", "leaders")
DIMENSIONS = ("knowledge", "belief", "support")
#: The five lenses of a site's culture (seed 000) that the culture pulse asks about: the values
#: stated against those lived day to day, what is rewarded, the rhythm of the work, the
#: employees' own experience, and a shared understanding of the customer.
LENSES = ("values", "rewards", "rhythm", "experience", "customer")
#: The dimension of an imported item its author has not tagged yet: only in a draft file.
UNTAGGED = "untagged"


def pick(texts, lang, fallback="en"):
    """The text in ``lang``, or in the fallback language when a text has no such entry."""
    return texts.get(lang) or texts.get(fallback) or ""


@dataclass(frozen=True)
class Option:
    id: str
    text: dict


@dataclass(frozen=True)
class Item:
    """One quiz item; ``answer`` is the key and never leaves the server while an attempt
    could use it."""

    id: str
    type: str
    topic: str
    dimension: str
    points: float
    text: dict  # lang -> sanitised HTML
    options: tuple
    answer: object
    reversed: bool
    explanation: dict  # lang -> sanitised HTML, names the answer: shown after a pass
    version: str
    tags: tuple = ()  # the ideas it tests; its type counts as a tag too (see draw rules)
    lesson: str | None = None  # the lesson that teaches it
    idea: dict | None = None  # lang -> sanitised HTML, the principle without the answer
    shuffle: bool = True  # options shown in an order of each attempt's own

    @property
    def all_tags(self):
        """What draw rules match: its ideas, its type and its topic (for mixed-topic quizzes)."""
        return (*self.tags, self.type, self.topic)

    @property
    def kind(self):
        return KINDS[self.type]

    @property
    def graded(self):
        return self.kind.graded


@dataclass(frozen=True)
class CultureItem:
    """A culture pulse statement: agreement 1-5 about one lens, reversed when agreeing is bad."""

    id: str
    lens: str
    reversed: bool
    text: dict  # lang -> sanitised HTML
    version: str
    type: ClassVar[str] = "agreement"  # answered like a quiz's agreement item
    options: ClassVar[tuple] = ()

    @property
    def kind(self):
        return KINDS[self.type]


@dataclass(frozen=True)
class DrawRule:
    """Draw ``count`` items of ``dimension`` (and of ``tag``, when given) for each attempt."""

    dimension: str
    count: int
    tag: str | None = None

    def matches(self, item):
        return item.dimension == self.dimension and (self.tag is None or self.tag in item.all_tags)


@dataclass(frozen=True)
class Retakes:
    """When another attempt may start, and what a result page shows (attempts.py)."""

    cooldown_minutes: int = 60
    per_day: int = 3
    max_attempts: int = 0  # 0: no limit


@dataclass(frozen=True)
class Quiz:
    """A bank of items; each attempt draws its own set by the ``draw`` rules."""

    id: str
    kind: str  # quiz | refresher
    module_id: str | None
    topic: str
    title: dict
    pass_mark: float
    time_limit_minutes: int | None
    lessons: tuple
    items: tuple  # the items of its own file
    version: str
    path: str
    draw: tuple = ()  # DrawRule; every item belongs to the first rule it matches
    retakes: Retakes = Retakes()
    also_from: tuple = ()  # ids of quizzes whose banks it draws from too
    shared: tuple = ()  # their items, filled in when the catalogue is complete

    @property
    def bank(self):
        """Every item an attempt may draw: its own and those of the quizzes it shares."""
        return self.items + self.shared

    def pools(self):
        """Each draw rule with the items it draws from (an item belongs to its first rule; a
        shared quiz's items that no rule takes stay there). Read only: worked out once, as the
        quiz does not change while its catalogue is loaded, and every start of it draws."""
        return self._pools

    @cached_property
    def _pools(self):
        pools = {rule: [] for rule in self.draw}
        for item in self.bank:
            rule = next((r for r in self.draw if r.matches(item)), None)
            if rule is not None:
                pools[rule].append(item)
        return pools

    @property
    def draw_size(self):
        return sum(rule.count for rule in self.draw)


@dataclass(frozen=True)
class Pulse:
    """A confidential pulse: the support pulse (agreement items about what an agent's leaders
    did, each of a topic) or the culture pulse (CultureItems, each of a lens)."""

    id: str
    title: dict
    intro: dict
    period_days: int
    items: tuple
    version: str
    path: str


@dataclass(frozen=True)
class Lesson:
    id: str
    module_id: str
    topic: str
    order: int
    minutes: int
    version: int
    title: dict
    objectives: dict  # lang -> tuple of str
    html: dict  # lang -> sanitised HTML body


@dataclass(frozen=True)
class CertificatePolicy:
    """How long a module's certificate is valid, and the quiz (a refresher, or the module's
    own quiz) whose pass renews it."""

    valid_months: int
    renew_with: str


@dataclass(frozen=True)
class Module:
    id: str
    topic: str
    order: int
    title: dict
    summary: dict
    quiz_id: str
    requires: tuple
    lessons: tuple = ()
    audience: str = "agents"  # agents | leaders (the coach and manager track)
    certificate: CertificatePolicy | None = None  # None: its certificate never expires

    @property
    def for_leaders(self):
        return self.audience == "leaders"


@dataclass(frozen=True)
class PathStep:
    module_id: str
    day: int


@dataclass(frozen=True)
class Path:
    id: str
    title: dict
    summary: dict
    steps: tuple


@dataclass(frozen=True)
class Persona:
    id: str
    name: dict
    cues: dict
    adapt: dict


@dataclass(frozen=True)
class Catalog:
    """Everything loaded from the content root; the app serves only a complete one."""

    root: str
    modules: dict = field(default_factory=dict)
    lessons: dict = field(default_factory=dict)
    quizzes: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    personas: dict = field(default_factory=dict)
    path: Path | None = None
    roleplays: dict = field(default_factory=dict)
    pulse: Pulse | None = None
    culture: Pulse | None = None  # the culture pulse
    drafts: dict = field(default_factory=dict)  # draft id -> its items, validated but never asked

    def ordered_modules(self, leaders=False):
        """The agents' modules in onboarding-path order, then any others by their catalogue
        order; with ``leaders``, the coach and manager track's modules instead."""
        if leaders:
            return sorted((m for m in self.modules.values() if m.for_leaders), key=lambda m: m.order)
        on_path = [self.modules[s.module_id] for s in self.path.steps] if self.path else []
        rest = sorted((m for m in self.modules.values() if m not in on_path and not m.for_leaders),
                      key=lambda m: m.order)
        return on_path + rest

    def topic_module(self, topic):
        """The module that teaches ``topic``: the one named after it, else the first by order."""
        if topic in self.modules:
            return self.modules[topic]
        return min((m for m in self.modules.values() if m.topic == topic), key=lambda m: m.order, default=None)
