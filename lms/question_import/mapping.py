"""A source question as an item of ours, or the reason it cannot be one.

Ours are single, multiple (all-or-nothing), true/false and short answer (typed, right or
wrong, matched ignoring case); the others (numerical, matching, essay, description, cloze, ...)
have no item kind here and are reported."""

import re
import string
from dataclasses import dataclass

from ..catalog.fields import PLACEHOLDER
from ..catalog.items import MAX_TYPED
from ..catalog.lint import LONGEST_KEY_SHARE, denies_a_key, is_catch_all, longest, stem_holds
from ..catalog.schema import TOPICS, UNTAGGED
from ..i18n import _, lazy_gettext as _l
from .source import MULTICHOICE, SHORTANSWER, TRUEFALSE
from .text import plain

#: Why each kind we cannot take over is left out, as the report says it.
UNSUPPORTED = {
    "numerical": _l("numerical: our quizzes have no typed-answer items"),
    "matching": _l("matching: our quizzes have no matching items"),
    "essay": _l("essay: our quizzes have no free-text items (a coach reviews typed replies in role-plays)"),
    "description": _l("description: text without a question; not an item"),
    "cloze": _l("cloze (embedded answers): our quizzes have no gap-fill items"),
}
MOST_OPTIONS = 6
TRANSLATE = f"{PLACEHOLDER} fa]] "
WRITE_IDEA = f"{PLACEHOLDER} idea]] the principle behind the item, without naming or paraphrasing the key"
_SLUG = re.compile(r"[^a-z0-9]+")  # a category name as a tag: not parsing, only folding to a slug


@dataclass
class Skipped:
    line: int
    name: str
    reason: str


@dataclass
class Mapped:
    line: int
    item: dict
    notes: list


def slug(text):
    return _SLUG.sub("-", text.lower()).strip("-")


def topic_of(category, default, mapping):
    """The topic a category path names (a segment that is a topic id, or mapped with --map),
    else ``default``; and the pool tag: the last segment that is not a topic."""
    segments = [s for s in category.split("/") if s and not s.startswith("$")]
    topic, pool = None, None
    for segment in segments:
        key = slug(segment).replace("-", "_")
        if segment in mapping:
            topic = mapping[segment]
        elif key in TOPICS:
            topic = key
        elif segment.lower() not in ("top", "default"):
            pool = slug(segment) or pool
    return topic or default, pool


def to_item(question, item_id, topic, pool):
    """Mapped or Skipped."""
    if question.qtype not in (MULTICHOICE, TRUEFALSE, SHORTANSWER):
        reason = UNSUPPORTED.get(question.qtype) or _("%(type)s: no such item kind here",
                                                      type=question.qtype or "?")
        return Skipped(question.line, question.name, str(reason))
    if not question.text:
        return Skipped(question.line, question.name, _("the question has no text"))
    notes = list(question.notes)
    item = {"id": item_id, "type": None, "topic": topic, "dimension": UNTAGGED}
    if pool:
        item["tags"] = [pool]
    item["text"] = _texts(question.text)
    if question.qtype == TRUEFALSE:
        right = [a for a in question.answers if a.fraction > 0]
        if len(right) != 1 or right[0].text not in ("true", "false"):
            return Skipped(question.line, question.name, _("true/false without exactly one right answer"))
        item.update(type="true_false", answer=right[0].text == "true")
        feedback = [right[0].feedback]
    else:
        found = (_short if question.qtype == SHORTANSWER else _choices)(question, item, notes)
        if isinstance(found, str):
            return Skipped(question.line, question.name, found)
        feedback = found
    if denies_a_key(question.text):
        notes.append(_("says there is no right or wrong answer, yet it is scored: rewrite it (the content check "
                       "refuses it in a quiz)"))
    item["idea"] = {"en": WRITE_IDEA, "fa": WRITE_IDEA}
    explanation = "\n\n".join(text for text in [*feedback, question.general_feedback] if text)
    if not explanation:
        notes.append(_("no feedback in the source: write the explanation"))
        explanation = f"{PLACEHOLDER} explanation]] why the key is right"
    item["explanation"] = _texts(explanation)
    return Mapped(question.line, item, notes)


def _choices(question, item, notes):
    """Options and key of a choice question; the right answers' feedback, or why it is skipped."""
    answers = [a for a in question.answers if a.text]
    if not 2 <= len(answers) <= MOST_OPTIONS:
        return _("%(count)d answers; our items have 2 to %(most)d options", count=len(answers), most=MOST_OPTIONS)
    ids = string.ascii_lowercase
    item["options"] = [{"id": ids[i], "text": _texts(plain(a.text))} for i, a in enumerate(answers)]
    for option in item["options"]:
        if is_catch_all(option["text"]["en"]):
            notes.append(_("option %(option)s is a catch-all (all/none of the above, both): write a real option "
                           "(the content check refuses it in a quiz)", option=option["id"]))
    right = [ids[i] for i, a in enumerate(answers) if a.fraction > 0]
    full = [ids[i] for i, a in enumerate(answers) if a.fraction >= 0.999]
    if not right:
        return _("no answer carries marks")
    if question.single and len(full) != 1:
        return _("a single-answer question needs exactly one answer with full marks; this one has %(count)d",
                 count=len(full))
    if question.single:
        item.update(type="single", answer=full[0])
        index = longest([option["text"]["en"] for option in item["options"]])
        if index is not None and ids[index] == full[0]:
            notes.append(_("the key is the strictly longest option, a tell for test-wise guessing (a bank allows "
                           "it in at most %(share)d%% of its single-answer items)", share=round(LONGEST_KEY_SHARE * 100)))
        if len(right) > 1:
            notes.append(_("partial credit on other options was dropped (our single-answer items are right or wrong)"))
        keys = full
    else:
        item.update(type="multiple", answer=right)
        if any(0 < a.fraction < 0.999 for a in answers) or any(a.fraction < 0 for a in answers):
            notes.append(_("weights became all-or-nothing: every option with marks must be chosen, no other"))
        keys = right
    if any(a.feedback for i, a in enumerate(answers) if ids[i] not in keys):
        notes.append(_("feedback on wrong options was left out (an item has one explanation): fold it in if needed"))
    return [a.feedback for i, a in enumerate(answers) if ids[i] in keys and a.feedback]


def _short(question, item, notes):
    """The accepted answers of a short-answer question (those with full marks); the right
    answers' feedback, or why it is skipped."""
    full, dropped = [], []
    for answer in question.answers:
        text = plain(answer.text)
        if not text or answer.fraction <= 0:
            continue
        if answer.fraction < 0.999:
            dropped.append(_("\"%(answer)s\" (partial credit)", answer=text))
        elif "*" in text:
            dropped.append(_("\"%(answer)s\" (a wildcard; answers here match whole)", answer=text))
        elif len(text) > MAX_TYPED:
            dropped.append(_("\"%(answer)s\" (over %(most)d characters)", answer=text[:40] + "…", most=MAX_TYPED))
        else:
            full.append(answer)
    if dropped:
        notes.append(_("answers left out (our short answers are right or wrong): %(answers)s",
                       answers="; ".join(dropped)))
    if not full:
        return _("no accepted answer with full marks")
    texts = [plain(answer.text) for answer in full]
    item.update(type="short", answer={"en": texts, "fa": [TRANSLATE + text for text in texts]})
    if question.case_sensitive:
        notes.append(_("the source matched answers case-sensitively; here case is ignored"))
    notes.append(_("write the accepted Persian answers (a learner's typed text is matched to either language's)"))
    if any(stem_holds(question.text, text) for text in texts):
        notes.append(_("the question's text holds an accepted answer, which gives it away (the content check "
                       "refuses it in a quiz)"))
    return [answer.feedback for answer in full if answer.feedback]


def _texts(english):
    return {"en": english, "fa": TRANSLATE + english}
