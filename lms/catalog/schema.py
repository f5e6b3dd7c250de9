"""The content model: frozen dataclasses built once from the files and shared by every request."""

from dataclasses import dataclass, field

TOPICS = ("communication", "personas", "problem_solving", "product", "policies")
DIMENSIONS = ("knowledge", "belief", "support")


def pick(texts, lang, fallback="en"):
    """The text in ``lang``, or in the fallback language when a text has no such entry."""
    return texts.get(lang) or texts.get(fallback) or ""


@dataclass(frozen=True)
class Option:
    id: str
    text: dict


@dataclass(frozen=True)
class Item:
    """One quiz item; ``answer`` is the key and never leaves the server before submission."""

    id: str
    type: str
    topic: str
    dimension: str
    points: float
    text: dict  # lang -> sanitised HTML
    options: tuple
    answer: object
    reversed: bool
    explanation: dict  # lang -> sanitised HTML
    version: str

    @property
    def kind(self):
        from .items import KINDS

        return KINDS[self.type]

    @property
    def graded(self):
        return self.kind.graded


@dataclass(frozen=True)
class Quiz:
    id: str
    kind: str  # quiz | refresher
    module_id: str | None
    topic: str
    title: dict
    pass_mark: float
    time_limit_minutes: int | None
    lessons: tuple
    items: tuple
    version: str
    path: str

    @property
    def max_points(self):
        return sum(item.points for item in self.items if item.graded)


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
class Module:
    id: str
    topic: str
    order: int
    title: dict
    summary: dict
    quiz_id: str
    requires: tuple
    lessons: tuple = ()


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

    def ordered_modules(self):
        """Modules in onboarding-path order, then any others by their catalogue order."""
        on_path = [self.modules[s.module_id] for s in self.path.steps] if self.path else []
        rest = sorted((m for m in self.modules.values() if m not in on_path), key=lambda m: m.order)
        return on_path + rest
