"""The activities a platform may link to: "module:<id>", "quiz:<id>", "roleplay:<id>"."""

from dataclasses import dataclass

from flask import url_for

from ..catalog import pick
from ..i18n import content_text

KINDS = {
    "module": ("modules", "lms.learning.module", "module_id"),
    "quiz": ("quizzes", "lms.learning.quiz", "quiz_id"),
    "roleplay": ("roleplays", "lms.roleplays.intro", "roleplay_id"),
}

#: A gradebook column's maximum: a module is done or not (1); quizzes and role-plays as a
#: percentage. Scores go as given/maximum, which the platform scales to this.
SCORE_MAXIMUM = {"module": 1, "quiz": 100, "roleplay": 100}


@dataclass(frozen=True)
class Activity:
    kind: str
    id: str
    title: str

    @property
    def key(self):
        return f"{self.kind}:{self.id}"

    @property
    def score_maximum(self):
        return SCORE_MAXIMUM[self.kind]

    def url(self):
        _, endpoint, arg = KINDS[self.kind]
        return url_for(endpoint, **{arg: self.id})


def find(catalog, key):
    """The activity named by ``key``, or None when there is no such one."""
    kind, _, ident = (key or "").partition(":")
    if kind not in KINDS:
        return None
    thing = getattr(catalog, KINDS[kind][0]).get(ident)
    return Activity(kind, ident, content_text(thing.title)) if thing is not None else None


def every(catalog):
    """Everything an instructor may pick, by kind then title."""
    found = [find(catalog, f"{kind}:{ident}") for kind, (attr, _, _) in KINDS.items()
             for ident in getattr(catalog, attr)]
    return sorted(found, key=lambda a: (list(KINDS).index(a.kind), a.title.lower()))


def english_title(catalog, key):
    """A gradebook column's label: English, whoever's language the score was sent in."""
    kind, _, ident = key.partition(":")
    thing = getattr(catalog, KINDS[kind][0]).get(ident)
    return pick(thing.title, "en") if thing is not None else key
