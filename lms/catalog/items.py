"""Quiz item kinds, registered by ``type`` (as CTFd registers challenge classes).

Each kind knows how to check its fields in a content file, how to read a learner's
response from a form, and how to turn that response into a value in [0, 1]
(GAP_MODEL.md, "How each source becomes a value")."""

import re
import unicodedata
from abc import ABC, abstractmethod

from .fields import LANGS


class InvalidResponse(ValueError):
    """A posted answer that this item cannot accept (unknown option, out of range); ``too_long``
    when it is a typed answer over MAX_TYPED, which the learner can fix."""

    def __init__(self, item_id, too_long=False):
        super().__init__(item_id)
        self.too_long = too_long


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

    def answer_texts(self, answer):
        """The texts an answer key holds (checked for the import's placeholders)."""
        return ()


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


class ShortAnswer(ItemKind):
    """A typed word or phrase, right when it matches an accepted answer after normalising
    (normalise_typed). Recall, not recognition: knowledge only."""

    name = "short"
    dimensions = ("knowledge",)

    def check_answer(self, raw, option_ids, report):
        if not isinstance(raw, dict) or set(raw) != set(LANGS):
            report(f"must map each language ({', '.join(LANGS)}) to a list of accepted answers, e.g. "
                   "{en: [refund], fa: [بازپرداخت]}")
            return None
        accepted = {}
        for lang in LANGS:
            answers = raw[lang] if isinstance(raw[lang], list) else [raw[lang]]
            if not answers or not all(isinstance(a, (str, int)) and normalise_typed(str(a)) for a in answers):
                report(f"{lang}: needs at least one accepted answer, each a non-empty text")
                return None
            too_long = [str(a) for a in answers if len(str(a)) > MAX_TYPED]
            if too_long:
                report(f"{lang}: {too_long[0]!r} is longer than a learner may type ({MAX_TYPED} characters)")
                return None
            accepted[lang] = tuple(str(a) for a in answers)
        return accepted

    def parse(self, item, values):
        if len(values) > 1:
            raise InvalidResponse(item.id)
        typed = " ".join(values[0].split()) if values else ""
        if len(typed) > MAX_TYPED:
            raise InvalidResponse(item.id, too_long=True)
        return typed or None

    def value(self, item, response):
        """Right when it matches an accepted answer of any language: a Persian learner may
        rightly type a term the team uses in English (CONTENT_GUIDE keeps some untranslated)."""
        typed = normalise_typed(response)
        return 1.0 if any(typed == normalise_typed(a) for answers in item.answer.values() for a in answers) else 0.0

    def answer_texts(self, answer):
        return [a for answers in answer.values() for a in answers]


#: The longest typed answer a short-answer item takes (the input says so too).
MAX_TYPED = 200
# Persian and Arabic-Indic digits as Latin; Arabic yeh and kaf (and alef maksura) as the Persian
# letters a Persian keyboard types; tatweel, harakat and the zero-width non-joiner dropped, so
# "می‌خواهم" typed with or without its ZWNJ (or with a Windows Arabic layout) still matches.
_FOLD = str.maketrans({**{ord(d): str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")},
                       **{ord(d): str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")},
                       "ي": "ی", "ى": "ی", "ك": "ک", "\u0640": None, "\u200c": None, "\u200d": None,
                       **{code: None for code in range(0x064B, 0x0653)}})
_END_PUNCTUATION = re.compile(r"[\s.,!?;:…؟،؛]+$")  # a sentence's end, not a symbol ("30%" stays)


def normalise_typed(text):
    """A typed answer as it is compared: NFKC, case-folded, digits and letters folded, spaces
    collapsed, final punctuation ("refund." / "بازپرداخت؟") dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    return _END_PUNCTUATION.sub("", " ".join(text.split()))


def likert_value(choice, reversed_=False):
    """(v - 1) / 4, or (5 - v) / 4 for a reversed statement."""
    return (5 - choice) / 4 if reversed_ else (choice - 1) / 4


KINDS = {kind.name: kind for kind in (SingleChoice(), WhyChoice(), MultipleChoice(), TrueFalse(), Agreement(),
                                          ShortAnswer())}
