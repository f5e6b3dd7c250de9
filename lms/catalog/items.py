"""Quiz item kinds, registered by ``type`` (as CTFd registers challenge classes).

Each kind knows how to check its fields in a content file, how to read a learner's
response from a form, and how to turn that response into a value in [0, 1]
(GAP_MODEL.md, "How each source becomes a value")."""

from abc import ABC, abstractmethod


class InvalidResponse(ValueError):
    """A posted answer that this item cannot accept (unknown option, out of range)."""


class ItemKind(ABC):
    name = ""
    graded = True
    has_options = False
    dimensions = ("knowledge", "belief")

    @abstractmethod
    def check_answer(self, raw, option_ids, report):
        """Validate the ``answer`` field; return it normalised, or None after reporting."""

    @abstractmethod
    def parse(self, item, values):
        """Turn the posted values (a list of strings) into a response, or None if unanswered."""

    def value(self, item, response):
        """The evidence value of ``response`` in [0, 1]."""
        return 1.0 if response == item.answer else 0.0


class SingleChoice(ItemKind):
    name = "single"
    has_options = True

    def check_answer(self, raw, option_ids, report):
        if raw not in option_ids:
            report(f"must be one of the option ids {sorted(option_ids)}, not {raw!r}")
            return None
        return raw

    def parse(self, item, values):
        if not values:
            return None
        if len(values) != 1 or values[0] not in {o.id for o in item.options}:
            raise InvalidResponse(item.id)
        return values[0]


class WhyChoice(SingleChoice):
    """Pick the real reason behind a practice or policy: graded, and always belief."""

    name = "why"
    dimensions = ("belief",)


class MultipleChoice(ItemKind):
    name = "multiple"

    has_options = True

    def check_answer(self, raw, option_ids, report):
        if not isinstance(raw, list) or not raw or not set(map(str, raw)) <= option_ids:
            report(f"must be a non-empty list of option ids from {sorted(option_ids)}")
            return None
        return frozenset(map(str, raw))

    def parse(self, item, values):
        if not values:
            return None
        chosen = frozenset(values)
        if len(chosen) != len(values) or not chosen <= {o.id for o in item.options}:
            raise InvalidResponse(item.id)
        return chosen


class TrueFalse(ItemKind):
    name = "true_false"

    def check_answer(self, raw, option_ids, report):
        if not isinstance(raw, bool):
            report("must be true or false")
            return None
        return raw

    def parse(self, item, values):
        if not values:
            return None
        if len(values) != 1 or values[0] not in ("true", "false"):
            raise InvalidResponse(item.id)
        return values[0] == "true"


class Agreement(ItemKind):
    """Likert 1-5; never right or wrong. Reversed items score disagreement."""

    name = "agreement"
    graded = False
    dimensions = ("belief",)  # support agreement items belong to the pulse (quizzes.read_pulse)

    def check_answer(self, raw, option_ids, report):
        if raw is not None:
            report("agreement items have no answer key")
        return None

    def parse(self, item, values):
        if not values:
            return None
        if len(values) != 1 or values[0] not in ("1", "2", "3", "4", "5"):
            raise InvalidResponse(item.id)
        return int(values[0])

    def value(self, item, response):
        return likert_value(response, item.reversed)


def likert_value(choice, reversed_=False):
    """(v - 1) / 4, or (5 - v) / 4 for a reversed statement."""
    return (5 - choice) / 4 if reversed_ else (choice - 1) / 4


KINDS = {kind.name: kind for kind in (SingleChoice(), WhyChoice(), MultipleChoice(), TrueFalse(), Agreement())}
