"""What a feature package brings to the plugin, declared in its own ``feature.py``:

    FEATURE = Feature("credentials", blueprint=bp, consequences={"module_completed": (issue,)},
                      template_helpers={...}, answers={"certificates_earned": earned_by})

The extension loops over ``lms.extension.FEATURES`` and wires each one; no feature is wired by
hand. ``answers`` are named questions one feature answers for others (``ask("opens_module",
...)``), so that the asker need not import the answerer: the import graph stays one-way
(tests/test_architecture.py)."""

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import current_app

_ANSWERS = "lms_answers"
_INSTALLED = "lms_features"


@dataclass(frozen=True)
class Feature:
    name: str
    #: The feature's URLs, nested in the plugin's ``lms`` blueprint.
    blueprint: Any = None
    #: event name (lms.events.SIGNALS) -> handlers run in the event's transaction.
    consequences: dict[str, tuple[Callable, ...]] = field(default_factory=dict)
    #: Names its templates (and everyone's) may use.
    template_helpers: dict[str, Any] = field(default_factory=dict)
    #: Named questions it answers for other features: name -> function.
    answers: dict[str, Callable] = field(default_factory=dict)
    #: ``setup(app)``: anything else it needs once per app (session listeners...).
    setup: Callable | None = None
    #: ``repair(catalog)`` -> {what: how many}: re-does, idempotently, consequences that are
    #: missing (data from before they were transactional, a handler fixed since); ``flask lms repair``.
    repair: Callable | None = None


def init_app(app, features):
    answers = {}
    for feature in features:
        for name, function in feature.answers.items():
            if name in answers:
                raise ValueError(f"{feature.name}: the question {name!r} is answered already")
            answers[name] = function
        if feature.setup is not None:
            feature.setup(app)
    app.extensions[_ANSWERS] = answers
    app.extensions[_INSTALLED] = tuple(features)


def installed():
    """The current app's features, in the order they were wired."""
    return current_app.extensions[_INSTALLED]


def ask(question, *args, **kwargs):
    """The answer of whichever feature answers ``question``."""
    return current_app.extensions[_ANSWERS][question](*args, **kwargs)


def template_helpers(features):
    helpers = {}
    for feature in features:
        helpers.update(feature.template_helpers)
    return helpers
