"""Can a test-wise agent pass without reading a lesson? Plays every quiz and refresher of the
shipped curriculum (or --root) through the real drawing and grading code.

    python bench/guessing.py                  # 1,000 attempts per quiz, strategy and language
    python bench/guessing.py --attempts 200

Strategies see only what an attempt shows (the options in their shown order, in English or in
Persian) and the bank's habits an agent could learn:
  longest   the longest option; for multiple-select, every option longer than the average
  shortest  the shortest option (and, for multiple-select, those shorter than the average)
  position  the shown position where the bank's keys most often sit in its files (options
            keep that order only where an item says so); true/false: the most common answer
  catchall  "all of the above" / "both" when offered, else a blind guess
  chance    a blind guess: any option, any non-empty set, true or false at random
A short-answer item shows nothing to pick from: every strategy leaves it blank (a word lifted
from its stem would be the one guess, and the content check refuses a stem holding its answer).
Means are in percent of the scored items. The last line:
  guessing: quizzes=N best_strategy=NAME best_mean=... chance_mean=... passes=N
and the run exits 1 when any strategy passes a quiz or beats chance by more than 10 points.
"""

import argparse
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.datastructures import MultiDict  # noqa: E402

from lms.catalog import load_catalog  # noqa: E402
from lms.catalog.lint import _CATCH_ALL  # noqa: E402
from lms.config import PROJECT_ROOT  # noqa: E402
from lms.learning.drawing import draw  # noqa: E402
from lms.learning.grading import FIELD_PREFIX, grade, read_responses  # noqa: E402

LANGS = ("en", "fa")
MARGIN = 10  # points above chance that no strategy may reach


def habits(quiz):
    """What an agent could learn of a bank by taking it often: where its keys sit in the
    files' order, and its most common true/false answer."""
    positions = Counter()
    for item in quiz.bank:
        if item.type in ("single", "why"):
            positions[[o.id for o in item.options].index(item.answer)] += 1
        elif item.type == "multiple":
            positions.update([o.id for o in item.options].index(key) for key in item.answer)
    answers = Counter(item.answer for item in quiz.bank if item.type == "true_false")
    return (positions.most_common(1)[0][0] if positions else 0), (answers.most_common(1)[0][0] if answers else True)


def blind(view, rng):
    item = view.item
    if item.type == "short":
        return ""
    if item.type == "true_false":
        return rng.choice(["true", "false"])
    if item.type == "agreement":
        return str(rng.randint(1, 5))
    count = len(view.option_order)
    if item.type == "multiple":
        chosen = [str(n) for n in range(1, count + 1) if rng.random() < 0.5]
        return chosen or [str(rng.randint(1, count))]
    return str(rng.randint(1, count))


def by_length(view, lang, rng, pick):
    """The longest (pick=max) or shortest (pick=min) option; for multiple-select, those
    longer (or shorter) than the average."""
    item = view.item
    if item.type in ("true_false", "agreement", "short"):
        return blind(view, rng)
    lengths = [len(option.text[lang].strip()) for option in view.options()]
    if item.type == "multiple":
        mean = sum(lengths) / len(lengths)
        chosen = [str(n) for n, length in enumerate(lengths, 1) if (length > mean if pick is max else length < mean)]
        return chosen or [str(lengths.index(pick(lengths)) + 1)]
    return str(lengths.index(pick(lengths)) + 1)


def strategies(quiz):
    key_position, usual_answer = habits(quiz)

    def position(view, lang, rng):
        item = view.item
        if item.type == "true_false":
            return "true" if usual_answer else "false"
        if item.type == "agreement":
            return "5"
        if item.type == "short":
            return blind(view, rng)
        return str(min(key_position, len(view.option_order) - 1) + 1)

    def catchall(view, lang, rng):
        for n, option in enumerate(view.options(), 1):
            if _CATCH_ALL.search(option.text[lang]):
                return str(n)
        return blind(view, rng)

    return {
        "longest": lambda view, lang, rng: by_length(view, lang, rng, max),
        "shortest": lambda view, lang, rng: by_length(view, lang, rng, min),
        "position": position,
        "catchall": catchall,
        "chance": lambda view, lang, rng: blind(view, rng),
    }


def play(quiz, strategy, lang, attempts, rng):
    """(mean score in percent, passes) over ``attempts`` attempts answered by ``strategy``."""
    scores, passes = [], 0
    for _ in range(attempts):
        views = draw(quiz, {}, rng)
        form = MultiDict()
        for view in views:
            answer = strategy(view, lang, rng)
            for value in answer if isinstance(answer, list) else [answer]:
                form.add(FIELD_PREFIX + view.item.id, value)
        grading = grade([view.item for view in views], read_responses(views, form), quiz.pass_mark)
        scores.append(100 * grading.score)
        passes += grading.passed
    return statistics.fmean(scores), passes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(PROJECT_ROOT), help="content folder (default: the shipped one)")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    catalog = load_catalog(args.root)
    rng = random.Random(args.seed)
    totals, passes, failures = {}, 0, []
    for quiz in sorted(catalog.quizzes.values(), key=lambda q: q.id):
        results = {}
        for name, strategy in strategies(quiz).items():
            for lang in LANGS:
                results[name, lang] = play(quiz, strategy, lang, args.attempts, rng)
        chance = statistics.fmean(results["chance", lang][0] for lang in LANGS)
        line = []
        for (name, lang), (mean, passed) in results.items():
            totals.setdefault((name, lang), []).append(mean)
            if name != "chance":
                passes += passed
                if passed or mean > chance + MARGIN:
                    failures.append(f"{quiz.id}: {name}({lang}) mean {mean:.1f} passes {passed}")
            line.append(f"{name}({lang})={mean:.1f}" + (f"/{passed}p" if passed else ""))
        print(f"{quiz.id:<28} pass_mark={100 * quiz.pass_mark:.0f} drawn={quiz.draw_size} " + " ".join(line))
    means = {key: statistics.fmean(values) for key, values in totals.items()}
    best = max((key for key in means if key[0] != "chance"), key=means.get)
    chance_mean = statistics.fmean(means["chance", lang] for lang in LANGS)
    for failure in failures:
        print("FAIL", failure)
    print(f"guessing: quizzes={len(catalog.quizzes)} best_strategy={best[0]}({best[1]}) "
          f"best_mean={means[best]:.1f} chance_mean={chance_mean:.1f} passes={passes}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
