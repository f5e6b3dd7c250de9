"""The content lint: item-writing flaws that let a test-wise reader score without knowing
anything (CONTENT_GUIDE.md), found in whole banks. Each finding names the file, the line, the
item and the reason; the loader refuses content with any of them."""

import math
import re
from collections import Counter

from .errors import ContentProblem
from .fields import LANGS
from .items import normalise_typed

#: The key may be the strictly longest option in at most this share of a bank's single-answer
#: items (chance, with four options, is about a quarter).
LONGEST_KEY_SHARE = 0.35
#: Where options keep their order, one position may hold at most this share of the keys ...
FIXED_POSITION_SHARE = 0.40
#: ... and one true/false answer at most this share of a bank's true/false items.
TRUE_FALSE_SHARE = 0.60
#: Too few items say nothing about a pattern.
FEWEST_FOR_A_PATTERN = 3
#: In a role-play, the best choice may be the strictly longest in at most this share of the
#: decision nodes.
LONGEST_BEST_SHARE = 0.5
SINGLE_ANSWER = ("single", "why")
#: A criterion judged at one moment of a conversation says little: at least this many.
FEWEST_POINTS_PER_CRITERION = 2

_CATCH_ALL = re.compile(
    r"\b(all|none) of (the )?(above|these|the others|the options)\b|\bboth (of the above|a and b|answers|options)\b"
    r"|موارد (بالا|فوق)|گزینه‌?های (بالا|فوق)|همه‌?ی? (گزینه|موارد)|هیچ[‌ ]?کدام از (موارد|گزینه)|هر دو (مورد|گزینه)",
    re.IGNORECASE)
_NO_RIGHT_OR_WRONG = re.compile(
    r"\bno (right|correct) or wrong\b|\bno (right|correct|wrong) answers?\b"
    r"|(درست|صحیح)\s*(یا|و)\s*(غلط|نادرست)\S*\s*(ی\s*)?(ندارد|وجود ندارد|نیست)|پاسخ (درست|صحیح)ی? ندارد",
    re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def lint_catalog(catalog, sources):
    """Every finding of the lint as a ContentProblem; ``sources`` maps ("content", id) to the
    file and parsed node each quiz, role-play and pulse came from."""
    problems = []
    for quiz in catalog.quizzes.values():
        file, node = sources["content", quiz.id]
        problems += _bank(file.name, node, quiz)
    for roleplay in catalog.roleplays.values():
        file, node = sources["content", roleplay.id]
        problems += _roleplay(file.name, node, roleplay)
    problems += _duplicates(catalog, sources)
    return problems


def longest(texts):
    """Index of the strictly longest of ``texts``, or None when two share the longest length."""
    lengths = [len(text.strip()) for text in texts]
    top = max(lengths)
    return lengths.index(top) if lengths.count(top) == 1 else None


def is_catch_all(text):
    """Whether an option is "all of the above", "none of these", "both" (in either language)."""
    return bool(_CATCH_ALL.search(text))


def denies_a_key(text):
    """Whether a text says there is no right or wrong answer."""
    return bool(_NO_RIGHT_OR_WRONG.search(_plain(text)))


def gives_away(item):
    """(language, accepted answer) of a short-answer item whose stem holds that answer as a
    word or phrase of its own (compared as typed answers are)."""
    if item.type != "short":
        return []
    return [(lang, answer) for lang in LANGS for answer in item.answer[lang] if stem_holds(item.text[lang], answer)]


def stem_holds(stem, answer):
    """Whether a stem (HTML or Markdown) holds a typed answer as a word or phrase of its own."""
    return bool(re.search(rf"(?<!\w){re.escape(normalise_typed(answer))}(?!\w)", normalise_typed(_plain(stem))))


def key_is_longest(item, lang):
    """Whether a single-answer item's key is its strictly longest option in ``lang``."""
    index = longest([option.text[lang] for option in item.options])
    return index is not None and item.options[index].id == item.answer


def _bank(name, node, quiz):
    raws = dict(zip((item.id for item in quiz.items), node["items"]))
    items_line = node.line_of("items")
    found = []

    def problem(line, field, message):
        found.append(ContentProblem(name, line, field, message))

    single = [item for item in quiz.items if item.type in SINGLE_ANSWER]
    for lang in LANGS:
        tells = [item.id for item in single if key_is_longest(item, lang)]
        if single and len(tells) / len(single) > LONGEST_KEY_SHARE:
            problem(items_line, "items", f"the key is the strictly longest option in {len(tells)} of {len(single)} "
                    f"single-answer items in {lang} (at most {LONGEST_KEY_SHARE:.0%}): {', '.join(tells)}")
    fixed = [item for item in quiz.items if item.kind.has_options and not item.shuffle and item.type in SINGLE_ANSWER]
    positions = Counter(next(i for i, o in enumerate(item.options) if o.id == item.answer) for item in fixed)
    _pattern(problem, items_line, positions, len(fixed), FIXED_POSITION_SHARE,
             lambda position: f"option {position + 1} is the key", "items whose options keep their order")
    answers = Counter(item.answer for item in quiz.items if item.type == "true_false")
    _pattern(problem, items_line, answers, sum(answers.values()), TRUE_FALSE_SHARE,
             lambda answer: f"the answer is {str(answer).lower()}", "true/false items")
    for item in quiz.items:
        raw = raws[item.id]
        for option in item.options:
            if any(is_catch_all(option.text[lang]) for lang in LANGS):
                problem(raw.line_of("options"), f"item {item.id}.options",
                        f"option {option.id!r} is a catch-all (all/none of the above, both): it rewards test-wise "
                        "guessing; write a real option")
        for lang, answer in gives_away(item):
            problem(raw.line_of("answer"), f"item {item.id}.answer.{lang}",
                    f"the accepted answer {answer!r} stands in the question's text: the stem gives it away")
        if item.graded and any(denies_a_key(text) for text in _texts(item)):
            problem(raw.line, f"item {item.id}",
                    "says there is no right or wrong answer, yet it is scored: make it an agreement item or "
                    "remove the sentence")
    return found


def _pattern(problem, line, counts, total, share, describe, what):
    """A finding when one value holds more than ``share`` of ``total`` (and at least
    FEWEST_FOR_A_PATTERN values exist)."""
    if total < FEWEST_FOR_A_PATTERN or not counts:
        return
    value, count = counts.most_common(1)[0]
    allowed = math.ceil(share * total - 1e-9)  # a 3/5 split of five true/false items is fine at 60%
    if count > allowed:
        problem(line, "items", f"{describe(value)} in {count} of {total} {what} (at most {allowed}); balance them")


def _roleplay(name, node, roleplay):
    found = _criteria_coverage(name, node, roleplay)
    decisions = [n for n in roleplay.nodes.values() if len(n.choices) >= 2 and _best_of(n) is not None]
    if not decisions:
        return found
    for lang in LANGS:
        tells = [n.id for n in decisions if _longest_choice(n, lang) is _best_of(n)]
        if len(tells) / len(decisions) > LONGEST_BEST_SHARE:
            found.append(ContentProblem(
                name, node.line_of("nodes"), "nodes",
                f"the best choice is the strictly longest in {len(tells)} of {len(decisions)} decision nodes in "
                f"{lang} (at most half): {', '.join(tells)}"))
    return found


def _criteria_coverage(name, node, roleplay):
    """Every criterion scorable at two or more points of the best path: by the best choice there,
    or by a coach reviewing a typed reply there (which scores every criterion)."""
    points = {criterion.id: 0 for criterion in roleplay.criteria}
    for node_id in roleplay.best_path()[:-1]:
        step = roleplay.nodes[node_id]
        scored = set(points) if step.open_reply_next else set(step.best_choice.scores)
        for criterion in scored:
            points[criterion] += 1
    return [ContentProblem(name, node.line_of("criteria"), f"criteria.{criterion}",
                           f"is scored at {count} point(s) of the best path; score it at two or more "
                           "(a best choice, or a typed-reply node on the best path)")
            for criterion, count in points.items() if count < FEWEST_POINTS_PER_CRITERION]


def _best_of(node):
    """The choice marked best, or else the one scoring strictly highest."""
    if node.best_choice is not None:
        return node.best_choice
    means = [(sum(c.scores.values()) / len(c.scores), c) for c in node.choices]
    top = max(score for score, _ in means)
    leaders = [c for score, c in means if score == top]
    return leaders[0] if len(leaders) == 1 else None


def _longest_choice(node, lang):
    index = longest([choice.text[lang] for choice in node.choices])
    return node.choices[index] if index is not None else None


def _duplicates(catalog, sources):
    """The same item text twice, ignoring case, spacing and markup, in either language."""
    found, seen = [], {}
    banks = list(catalog.quizzes.values()) + ([catalog.pulse] if catalog.pulse else [])
    for bank in banks:
        file, node = sources["content", bank.id]
        for item, raw in zip(bank.items, node["items"]):
            for lang in LANGS:
                key = (lang, " ".join(_plain(item.text[lang]).casefold().split()))
                if key in seen:
                    other_item, other_file = seen[key]
                    found.append(ContentProblem(file.name, raw.line_of("text"), f"item {item.id}.text.{lang}",
                                                f"is the same text as item {other_item} ({other_file})"))
                else:
                    seen[key] = (item.id, file.name)
    return found


def _texts(item):
    for texts in (item.text, item.explanation, item.idea or {}):
        yield from texts.values()
    for option in item.options:
        yield from option.text.values()


def _plain(html):
    return _TAGS.sub(" ", html)
