"""Item analysis: the set-based statistics equal a plain-Python reference computed from every
answer, on SQLite and PostgreSQL; the page, CSV and command are for admins."""

import json
import math
import random
from collections import defaultdict
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from lms import db
from lms.accounts.models import User
from lms.catalog.lint import key_is_longest, longest
from lms.db import utcnow
from lms.item_analysis.models import ItemSnapshot
from lms.item_analysis.queries import analyse
from lms.jobs.models import Job
from lms.learning import attempts
from lms.learning.models import SUBMITTED, AttemptAnswer, QuizAttempt

from .coaching_helpers import catalog
from .conftest import signed_in, token_for

QUIZZES = ("basics-quiz", "basics-refresher")


def answer_randomly(view, rng, skill):
    item = view.item
    if rng.random() < 0.1:
        return None  # left blank
    if item.type == "agreement":
        return rng.randint(1, 5)
    right = rng.random() < skill
    if item.type == "true_false":
        return item.answer if right else not item.answer
    if item.type == "multiple":
        return item.answer if right else frozenset(rng.sample([o.id for o in item.options], rng.randint(1, 2)))
    return item.answer if right else rng.choice([o.id for o in item.options])


def take_attempts(app, user_ids, count, seed):
    """``count`` attempts through the real services, each by a user of some skill, in a language."""
    rng, cat, now = random.Random(seed), catalog(app), utcnow()
    skills = {user_id: rng.random() for user_id in user_ids}
    for n in range(count):
        user_id, quiz = rng.choice(user_ids), cat.quizzes[rng.choice(QUIZZES)]
        when = now - timedelta(days=count - n)  # a day apart: every retake is allowed
        locale = rng.choice(("en", "fa"))
        attempt = attempts.start_or_resume(user_id, quiz, cat, locale, now=when, rng=rng)
        responses = {v.item.id: answer_randomly(v, rng, skills[user_id]) for v in attempts.shown_items(attempt, cat)}
        attempts.submit(user_id, quiz, cat, attempt.id, {k: v for k, v in responses.items() if v is not None},
                        now=when + timedelta(minutes=5), locale=locale)


def reference(cat):
    """Every statistic from every answer, by the textbook definitions, in plain Python."""
    rows = db.session.execute(select(QuizAttempt, AttemptAnswer).join(AttemptAnswer)
                              .where(QuizAttempt.status == SUBMITTED)).all()
    by_attempt = defaultdict(list)
    for attempt, answer in rows:
        if cat.items[answer.item_id].graded:
            by_attempt[attempt].append(answer)
    per_item, totals_quiz, totals_group = defaultdict(list), defaultdict(list), defaultdict(list)
    for attempt, answers in by_attempt.items():
        top = sum(cat.items[a.item_id].points for a in answers)
        got = sum(a.points for a in answers)
        totals_quiz[attempt.quiz_id].append([a.points for a in answers])
        groups = defaultdict(list)
        for a in answers:
            item = cat.items[a.item_id]
            rest_max = top - item.points
            per_item[a.item_id].append((a.value, (got - a.points) / rest_max if rest_max else None,
                                        a.response, a.locale))
            groups[f"{item.topic}/{item.dimension}"].append(a.points)
        for key, points in groups.items():
            totals_group[key].append(points)
    return per_item, totals_quiz, totals_group


def pearson(pairs):
    n = len(pairs)
    mx, my = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    cov = sum((x - mx) * (y - my) for x, y in pairs) / n
    vx, vy = sum((x - mx) ** 2 for x, _ in pairs) / n, sum((y - my) ** 2 for _, y in pairs) / n
    return None if vx <= 1e-12 or vy <= 1e-12 else cov / math.sqrt(vx * vy)


def efficiency(pairs):
    """cov(x, y) over the covariance with the same number right given to the highest y."""
    n = len(pairs)
    mx, my = sum(x for x, _ in pairs) / n, sum(y for _, y in pairs) / n
    cov = sum((x - mx) * (y - my) for x, y in pairs) / n
    right = round(sum(x for x, _ in pairs))
    best_x = [1.0] * right + [0.0] * (n - right)
    best = sum((x - mx) * (y - my) for x, y in zip(best_x, sorted((y for _, y in pairs), reverse=True))) / n
    return None if best <= 1e-12 else cov / best


def alpha_of(forms):
    """KR-20 of random forms: forms is a list of each attempt's item points."""
    scores = [s for form in forms for s in form]
    totals = [sum(form) for form in forms]
    if len(forms) < 2:
        return None
    k = len(scores) / len(forms)
    v_item = sum(s * s for s in scores) / len(scores) - (sum(scores) / len(scores)) ** 2
    v_total = sum(t * t for t in totals) / len(totals) - (sum(totals) / len(totals)) ** 2
    if k <= 1 + 1e-9 or v_total <= 1e-12:
        return None
    return k / (k - 1) * (1 - k * v_item / v_total)


def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(2, 14), seed=st.integers(0, 10**6))
def test_the_statistics_equal_a_plain_python_reference(app, make_user, count, seed):
    with app.app_context():
        db.session.execute(delete(QuizAttempt))
        db.session.execute(delete(User))
        db.session.commit()
    users = [make_user(f"u{seed}-{n}") for n in range(3)]
    with app.app_context():
        take_attempts(app, users, count, seed)
        cat = catalog(app)
        found = analyse(db.session, cat)
        per_item, totals_quiz, totals_group = reference(cat)
        assert set(found.items) == set(per_item)
        for item_id, rows in per_item.items():
            item, stats = cat.items[item_id], found.items[item_id]
            pairs = [(x, y) for x, y, _r, _l in rows if y is not None]
            assert stats.n == len(rows)
            assert close(stats.facility, sum(x for x, *_ in rows) / len(rows))
            assert close(stats.discrimination, pearson(pairs) if pairs else None)
            assert close(stats.efficiency, efficiency(pairs) if pairs else None)
            chosen = defaultdict(int)
            for _x, _y, response, _locale in rows:
                value = json.loads(response) if response else None
                for choice in value if isinstance(value, list) else [value]:
                    if choice is not None:
                        chosen[str(choice).lower()] += 1
            for option, rate in stats.option_rates.items():
                assert close(rate, chosen[option] / len(rows))
            if item.type in ("single", "why"):
                assert close(stats.key_longest_share,
                             sum(key_is_longest(item, locale) for *_, locale in rows) / len(rows))
            elif item.type == "multiple":
                index = {lang: longest([o.text[lang] for o in item.options]) for lang in ("en", "fa")}
                assert close(stats.key_longest_share, sum(
                    index[locale] is not None and item.options[index[locale]].id in item.answer
                    for *_, locale in rows) / len(rows))
        assert {r.key: r.alpha for r in found.quizzes}.keys() == totals_quiz.keys()
        for r in found.quizzes:
            assert r.attempts == len(totals_quiz[r.key]) and close(r.alpha, alpha_of(totals_quiz[r.key]))
        for r in found.groups:
            assert r.attempts == len(totals_group[r.key]) and close(r.alpha, alpha_of(totals_group[r.key]))


def test_admins_see_items_reliability_and_flags_as_a_page_csv_and_command(app, make_user):
    users = [make_user(f"agent{n}") for n in range(6)]
    make_user("admin", role="admin")
    make_user("coach", role="coach")
    with app.app_context():
        take_attempts(app, users, 40, seed=3)
    page = signed_in(app, "admin").get("/admin/items/").get_data(as_text=True)
    assert "Reliability" in page and "basics-quiz" in page and "communication/knowledge" in page
    assert "b-single" in page and "Key longest shown" in page
    assert signed_in(app, "coach").get("/admin/items/").status_code == 403
    csv_text = signed_in(app, "admin").get("/admin/items/report.csv?bank=basics-refresher").get_data(as_text=True)
    lines = csv_text.splitlines()
    assert lines[0].startswith("\ufeffitem,bank,type,topic,dimension,answers,facility,discrimination")
    assert lines[1:] and all(",basics-refresher," in line for line in lines[1:])
    result = app.test_cli_runner().invoke(args=["lms", "item-stats", "--bank", "basics-quiz"])
    assert result.exit_code == 0 and "reliability basics-quiz" in result.output and "b-single" in result.output
    unknown = app.test_cli_runner().invoke(args=["lms", "item-stats", "--bank", "nope"])
    assert unknown.exit_code != 0 and "no quiz or refresher 'nope'" in unknown.output


def test_flags_name_the_items_that_measure_nothing(app):
    from lms.item_analysis.statistics import FEWEST_ANSWERS, item_statistics

    cat = catalog(app)
    answered_right = json.dumps("a")
    rows = [("b-single", answered_right, 1.0, 0.5, "en", FEWEST_ANSWERS)]  # all right, one option only
    stats = item_statistics(cat, rows)["b-single"]
    assert stats.facility == 1.0 and stats.option_rates == {"a": 1.0, "b": 0.0, "c": 0.0}
    assert stats.flags == ("too_easy", "weak_discrimination", "unused_distractor")
    few = item_statistics(cat, [("b-single", answered_right, 1.0, 0.5, "en", FEWEST_ANSWERS - 1)])["b-single"]
    assert few.flags == ()


def test_the_page_shows_the_figures_a_job_took_until_they_are_computed_again(app, make_user, monkeypatch):
    users = [make_user(f"agent{n}") for n in range(4)]
    make_user("admin", role="admin")
    with app.app_context():
        take_attempts(app, users[:2], 10, seed=5)
    admin = signed_in(app, "admin")
    assert "from 10 graded attempts" in admin.get("/admin/items/").get_data(as_text=True)  # the first, at once
    with app.app_context():
        take_attempts(app, users[2:], 6, seed=6)
    page = admin.get("/admin/items/").get_data(as_text=True)
    assert "from 10 graded attempts" in page and "Compute again now" in page  # the job's figures, not live ones
    assert sum(1 for line in admin.get("/admin/items/report.csv").get_data(as_text=True).splitlines()[1:]) > 0

    response = admin.post("/admin/items/refresh", data={"csrf_token": token_for(admin, "/admin/items/")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/items/")
    assert "from 16 graded attempts" in admin.get("/admin/items/").get_data(as_text=True)

    # Without a runner here (a worker elsewhere), the admin follows the job; its run brings the figures.
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "none")
    with app.app_context():
        take_attempts(app, users[:1], 2, seed=7)
    token = token_for(admin, "/admin/items/")
    first = admin.post("/admin/items/refresh", data={"csrf_token": token})
    again = admin.post("/admin/items/refresh", data={"csrf_token": token})
    assert first.status_code == 303 and "/jobs/" in first.headers["Location"]
    assert again.headers["Location"] == first.headers["Location"]  # a second click: the same job
    assert "Item statistics" in admin.get(first.headers["Location"]).get_data(as_text=True)
    assert "from 16 graded attempts" in admin.get("/admin/items/").get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["lms", "jobs-run-due"])
    assert result.exit_code == 0 and "1 done" in result.output
    assert "from 18 graded attempts" in admin.get("/admin/items/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ItemSnapshot)) == 1  # older figures replaced


def test_the_first_figures_are_on_their_way_when_no_runner_is_here(app, make_user, monkeypatch):
    make_user("admin", role="admin")
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "none")
    admin = signed_in(app, "admin")
    page = admin.get("/admin/items/")
    assert page.status_code == 200 and "being computed for the first time" in page.get_data(as_text=True)
    assert admin.get("/admin/items/report.csv").status_code == 503
    admin.get("/admin/items/")  # asked once: the waiting job is not asked for again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == "items.analyse")) == 1
    saved = app.test_cli_runner().invoke(args=["lms", "item-stats", "--save"])
    assert saved.exit_code == 0 and "0 graded attempts" in saved.output
    assert "from 0 graded attempts" in admin.get("/admin/items/").get_data(as_text=True)
