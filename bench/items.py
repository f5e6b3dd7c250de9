"""Benchmark of the item statistics on a synthetic history of quiz attempts.

    python bench/items.py                       # 100,000 attempts of the shipped quizzes, SQLite
    python bench/items.py --attempts 20000
    python bench/items.py --database-url postgresql://postgres@127.0.0.1:5432/test

Each attempt draws its items with the real drawing code and is answered by a simulated agent
whose ability and the items' difficulty decide what is right (a Rasch model), so the figures
look like a site's. Measures every statistic (item facility, discrimination, efficiency, option
rates, key-longest shares, flags, reliability per quiz and per topic x dimension) and, as the
floor, a plain GROUP BY over the same answers. The last line is machine-readable.
"""

import argparse
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from common import fresh_app, settle, timed  # noqa: E402
from lms import db  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.config import PROJECT_ROOT  # noqa: E402
from lms.db import utcnow  # noqa: E402
from lms.item_analysis.queries import analyse  # noqa: E402
from lms.learning.drawing import draw  # noqa: E402
from lms.learning.grading import encode_response, grade, points_by_group, rest_score  # noqa: E402
from lms.learning.models import AttemptAnswer, AttemptScore, QuizAttempt  # noqa: E402

AGENTS = 2_000
CHUNK = 20_000


def respond(item, right, rng):
    """A response to ``item``: its key when ``right``, else a plausible wrong one."""
    if item.type == "agreement":
        return rng.randint(1, 5)
    if item.type == "short":
        return item.answer["en"][0] if right else "?"
    if item.type == "true_false":
        return item.answer if right else not item.answer
    if item.type == "multiple":
        return item.answer if right else frozenset([rng.choice(item.options).id])
    wrong = [o.id for o in item.options if o.id != item.answer]
    return item.answer if right else rng.choice(wrong)


def build_history(catalog, attempts, rng):
    """Insert ``attempts`` submitted attempts by AGENTS simulated agents; the answer count."""
    now = utcnow()
    db.session.execute(insert(User), [{"username": f"agent{i}", "display_name": f"Agent {i}", "role": "agent",
                                       "locale": "en", "active": True, "created_at": now} for i in range(AGENTS)])
    user_ids = db.session.scalars(select(User.id)).all()
    ability = {user_id: rng.gauss(0, 1) for user_id in user_ids}
    difficulty = {item_id: rng.gauss(-0.8, 1) for item_id in catalog.items}
    quizzes = sorted(catalog.quizzes.values(), key=lambda q: q.id)
    next_id, answers, rows, scores, written = 1, [], [], [], 0
    for n in range(attempts):
        quiz, user_id = quizzes[n % len(quizzes)], rng.choice(user_ids)
        views = draw(quiz, {}, rng)
        responses = {}
        for view in views:
            p = 1 / (1 + math.exp(difficulty[view.item.id] - ability[user_id]))
            responses[view.item.id] = respond(view.item, rng.random() < p, rng)
        grading = grade([v.item for v in views], responses, quiz.pass_mark)
        rows.append({"id": next_id, "user_id": user_id, "quiz_id": quiz.id, "quiz_version": quiz.version,
                     "topic": quiz.topic, "status": "submitted", "closed_by": "learner",
                     "locale": rng.choice(("en", "fa")), "started_at": now, "closed_at": now, "points": grading.points,
                     "max_points": grading.max_points, "score": grading.score, "passed": grading.passed})
        for (topic, dimension), (count, points, squares, top) in points_by_group(grading).items():
            scores.append({"attempt_id": next_id, "topic": topic, "dimension": dimension, "items": count,
                           "points": points, "points_sq": squares, "max_points": top})
        for view, result in zip(views, grading.results):
            answers.append({"attempt_id": next_id, "item_id": view.item.id, "position": view.position,
                            "option_order": list(view.option_order) if view.option_order else None,
                            "response": encode_response(result.response), "value": result.value,
                            "points": result.points, "locale": rows[-1]["locale"],
                            "rest_score": rest_score(grading, result) if view.item.graded else None})
        next_id += 1
        if len(answers) >= CHUNK:
            written += flush(rows, answers, scores)
            rows, answers, scores = [], [], []
    written += flush(rows, answers, scores)
    db.session.commit()
    return written


def flush(rows, answers, scores):
    for model, batch in ((QuizAttempt, rows), (AttemptAnswer, answers), (AttemptScore, scores)):
        if batch:
            db.session.execute(insert(model), batch)
    return len(answers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--root", default=str(PROJECT_ROOT), help="content folder (default: the shipped one)")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="lms-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    app = fresh_app(url, LMS_CONTENT_ROOT=args.root)
    catalog = app.extensions["lms"].catalog
    with app.app_context():
        engine = db.session.get_bind()
        started = time.perf_counter()
        answers = build_history(catalog, args.attempts, random.Random(7))
        print(f"built {args.attempts} attempts and {answers} answers on {engine.dialect.name} "
              f"in {time.perf_counter() - started:.1f} s")
        settle(engine)

        floor_s, _ = timed("floor: plain GROUP BY item over the answers", lambda: db.session.execute(
            select(AttemptAnswer.item_id, func.count(), func.avg(AttemptAnswer.value))
            .group_by(AttemptAnswer.item_id)).all())
        stats_s, analysis = timed("every item statistic and reliability", lambda: analyse(db.session, catalog))
        flagged = sum(1 for s in analysis.items.values() if s.flags)
        alphas = ", ".join(f"{r.key}={r.alpha:.2f}" for r in analysis.quizzes if r.alpha is not None)
        print(f"  ({len(analysis.items)} items, {flagged} flagged; alpha {alphas})")
    print(f"items: attempts={args.attempts} stats_s={stats_s:.2f} floor_s={floor_s:.2f}")


if __name__ == "__main__":
    main()
