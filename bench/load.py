"""Load test: gunicorn (4 workers) on PostgreSQL, driven by locust, on this machine's loopback.

    pip install -e '.[bench,postgres]'
    python bench/load.py                          # 1,000 agents in the burst, 150 requests/s offered
    python bench/load.py --agents 100 --seconds 20 --browse-seconds 20    # a quick run
    python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/bench_load

Builds a site (agents in teams of 50 with their evidence and their past attempts at the other
modules' quizzes, a coach per team), signs everybody in before the clock starts (a session
cookie each, signed with the site's key), starts gunicorn with the repository's
gunicorn.conf.py, has each worker serve the pages once (coaches take the quiz, someone opens
each page of the mix: templates compiled, as on a site that has been up a while), then runs two
scenarios with locust, headless:

- quiz burst: every agent opens the same quiz and starts it within 10 s, then submits it within
  ``--seconds``; afterwards the database must hold exactly one submitted attempt at that quiz
  per agent (nothing lost, nothing twice);
- browsing: agents (path, lessons, to-do, their gaps) and coaches (dashboard, team gaps, an
  agent's gaps) each at a constant pace, ``--browse-rps`` requests/s offered in all.

With each scenario it prints the cores gunicorn, PostgreSQL and locust used (bench/cpu_use.py):
on one machine they share its cores, and a slow run says which of them was short.

The load generator runs on the same machine as the server and the database. The last line is
machine-readable: ``load: burst_p95_ms=... burst_errors=... browse_rps=... browse_p95_ms=...``.
"""

import argparse
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, make_url, select, update  # noqa: E402

from flask import url_for  # noqa: E402

from common import fresh_app, settle  # noqa: E402
from cpu_use import CpuUse, described, named, tree  # noqa: E402
from gaps import TEAM_SIZE, build_site  # noqa: E402
from quiz_form import answer_sheet, csrf_token  # noqa: E402
from lms import db  # noqa: E402
from lms.accounts.models import Team, TeamCoach, User, new_session_token  # noqa: E402
from lms.db import utcnow  # noqa: E402
from lms.learning.models import BY_LEARNER, SUBMITTED, AttemptAnswer, QuizAttempt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "bench-load"
MODULE = "communication"
PACE = 0.5  # requests/s of one browsing user: rate / PACE users are started
HISTORY_ITEMS = 12  # answers per past attempt


def quiz_history(catalog, agent_ids, seed=11):
    """Every agent has taken the quizzes of the agents' other modules once: a site that has
    been up a while has attempts and answers (its evidence came from them), and PostgreSQL
    plans the burst's statements for tables of that size. (With these tables empty when the
    statistics were taken, it kept plans that scan them whole while they grew during the
    burst: four times PostgreSQL's CPU per submission.)"""
    rng = random.Random(seed)
    now = utcnow()
    quizzes = [catalog.quizzes[m.quiz_id] for m in catalog.ordered_modules() if m.quiz_id and m.id != MODULE]
    for quiz in quizzes:
        started = [now - timedelta(days=rng.randint(2, 300), minutes=rng.randint(0, 1440)) for _ in agent_ids]
        attempt_ids = db.session.scalars(insert(QuizAttempt).returning(QuizAttempt.id, sort_by_parameter_order=True), [
            {"user_id": user_id, "quiz_id": quiz.id, "quiz_version": quiz.version, "topic": quiz.topic,
             "status": SUBMITTED, "closed_by": BY_LEARNER, "locale": "en", "started_at": at,
             "closed_at": at + timedelta(minutes=12)} for user_id, at in zip(agent_ids, started)]).all()
        answers = []
        for attempt_id, at in zip(attempt_ids, started):
            for position, item in enumerate(quiz.items[:HISTORY_ITEMS], 1):
                right = float(rng.random() < 0.7)
                answers.append({"attempt_id": attempt_id, "item_id": item.id, "position": position, "saved_at": at,
                                "locale": "en", "value": right, "points": right})
        db.session.execute(insert(AttemptAnswer), answers)


def build(app, agents, rows_per_agent):
    """The site, a coach per team, and a signed session cookie for everybody."""
    with app.app_context():
        build_site(agents, rows_per_agent)
        quiz_history(app.extensions["lms"].catalog,
                     db.session.scalars(select(User.id).where(User.role == "agent").order_by(User.id)).all())
        teams = db.session.scalars(select(Team).order_by(Team.id)).all()
        db.session.execute(insert(User), [
            {"username": f"coach{n}", "display_name": f"Coach {n:03d}", "role": "coach", "locale": "en",
             "site_id": team.site_id, "active": True} for n, team in enumerate(teams)])
        coach_ids = db.session.scalars(select(User.id).where(User.role == "coach").order_by(User.id)).all()
        db.session.execute(insert(TeamCoach), [{"team_id": team.id, "user_id": coach_id}
                                               for team, coach_id in zip(teams, coach_ids)])
        for user_id in db.session.scalars(select(User.id)).all():
            db.session.execute(update(User).where(User.id == user_id).values(session_token=new_session_token()))
        db.session.commit()
        settle(db.session.get_bind())
        serializer = app.session_interface.get_signing_serializer(app)
        users = db.session.execute(select(User.id, User.role, User.team_id, User.session_token)).all()
        cookie = {u.id: serializer.dumps({"_user_id": f"{u.id}:{u.session_token}", "_fresh": False}) for u in users}
        team_agents = {}
        for u in users:
            if u.role == "agent":
                team_agents.setdefault(u.team_id, []).append(u.id)
        catalog = app.extensions["lms"].catalog
        module = catalog.modules[MODULE]
        with app.test_request_context():
            prefix = url_for("lms.learning.path").rstrip("/")
        return {
            "prefix": prefix,
            "quiz": module.quiz_id,
            "lessons": [f"/modules/{MODULE}/lessons/{lesson.id}" for lesson in module.lessons],
            "agents": [{"id": u.id, "cookie": cookie[u.id]} for u in users if u.role == "agent"],
            "coaches": [{"id": coach_id, "cookie": cookie[coach_id], "team_id": team.id, "agents": team_agents[team.id]}
                        for team, coach_id in zip(teams, coach_ids)],
        }


def serve(url, port, workers, workdir, under=(), options=()):
    """gunicorn on ``url``'s database; ``under``: a command it runs within (valgrind), ``options``
    more of gunicorn's."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "LMS_DELIVERY_WORKER": "none",
           "LMS_INSTANCE_PATH": str(workdir / "instance"), "WEB_CONCURRENCY": str(workers),
           "LMS_BIND": f"127.0.0.1:{port}"}
    log = open(workdir / "gunicorn.log", "w")
    server = subprocess.Popen([*under, str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--log-level", "warning",
                               *options], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180  # workers load the catalogue as they boot: slow on a busy machine
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/health/live", timeout=10):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit(f"gunicorn did not start: see {workdir / 'gunicorn.log'}")


def warm(port, people, workers):
    """Every page of the mix asked a few times per worker before the clock starts: a site that
    has been up a while has its templates compiled in every worker."""
    agent, coach = people["agents"][0], people["coaches"][0]
    pages = [(agent, "/"), (agent, "/todo"), (agent, f"/gaps/people/{agent['id']}"),
             (coach, "/coaching"), (coach, f"/gaps/teams/{coach['team_id']}"), (coach, f"/gaps/people/{agent['id']}"),
             *((agent, lesson) for lesson in people["lessons"])]
    for _ in range(3 * workers):
        for person, path in pages:
            signed_in(person).get(f"http://127.0.0.1:{port}{people['prefix']}{path}", timeout=30).raise_for_status()


def warm_quiz(port, people, workers):
    """The burst's pages likewise, before the burst: coaches (not in it) each take the quiz once."""
    quiz = f"http://127.0.0.1:{port}{people['prefix']}/quizzes/{people['quiz']}"
    for coach in people["coaches"][:3 * workers]:
        browser = signed_in(coach)
        intro = browser.get(quiz, timeout=30).text
        shown = browser.post(f"{quiz}/start", {"csrf_token": csrf_token(intro)}, timeout=30)
        browser.post(shown.url, dict(answer_sheet(shown.text), csrf_token=csrf_token(shown.text)),
                     timeout=30).raise_for_status()


def signed_in(person):
    """An HTTP session that keeps its cookies (the CSRF secret joins the signed-in one)."""
    browser = requests.Session()
    browser.cookies.set("session", person["cookie"], domain="127.0.0.1")
    return browser


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)


def locust(scenario, people_file, server, port, workdir, users, spawn_rate, seconds, **env):
    """Run one scenario headless: its aggregated stats (locust's JSON) by request name, how
    long it ran, and the CPU the server, PostgreSQL and locust used meanwhile (a CpuUse)."""
    report = workdir / f"{scenario}.json"
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
               "-H", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(spawn_rate), "-t", f"{int(seconds)}s",
               "--stop-timeout", "10", "--json-file", str(report.with_suffix("")), "--loglevel", "WARNING"]
    # gunicorn's sync workers close every connection, so each request connects anew; gevent's
    # default resolver would send every lookup of 127.0.0.1 through a thread pool.
    env = {**os.environ, "LOAD_SCENARIO": scenario, "LOAD_PEOPLE": str(people_file), "GEVENT_RESOLVER": "block",
           **{key: str(value) for key, value in env.items()}}
    started = time.monotonic()
    generator = subprocess.Popen(command, env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                                 stderr=open(workdir / f"{scenario}.log", "w"))
    groups = {"gunicorn": tree(server.pid), "postgres": named("postgres"), "locust": tree(generator.pid)}
    try:
        with CpuUse(groups) as cpu:
            generator.wait(timeout=seconds + 60)
    finally:
        generator.kill()
    return json.loads(report.read_text()), time.monotonic() - started, cpu


def summary(stats):
    """Total requests, failures, p95 (ms) and each request name's median and p95."""
    def percentile(entry, q):
        times = sorted((int(ms), n) for ms, n in entry["response_times"].items())
        wanted, seen = q * entry["num_requests"], 0
        for ms, n in times:
            seen += n
            if seen >= wanted:
                return ms
        return 0

    total = {"num_requests": 0, "num_failures": 0, "response_times": {}}
    names = {}
    for entry in stats:
        total["num_requests"] += entry["num_requests"]
        total["num_failures"] += entry["num_failures"]
        for ms, n in entry["response_times"].items():
            total["response_times"][ms] = total["response_times"].get(ms, 0) + n
        names[entry["name"]] = (entry["num_requests"], percentile(entry, 0.5), percentile(entry, 0.95))
    return total["num_requests"], total["num_failures"], percentile(total, 0.95), names


def steady_rate(stats, after):
    """Requests/s answered once every user is asking (``after`` seconds from the first answer:
    the users are being started and take their first step at a random moment of their pace):
    the mean over the whole seconds from then on, the last (partial) second left out."""
    per_second = Counter()
    for entry in stats:
        for second, n in entry["num_reqs_per_sec"].items():
            per_second[int(second)] += n
    seconds = range(min(per_second) + math.ceil(after), max(per_second))
    return sum(per_second[s] for s in seconds) / max(1, len(seconds))


def show(names):
    for name, (count, median, p95) in sorted(names.items()):
        print(f"    {name:16} {count:6} requests  median {median:4} ms  p95 {p95:4} ms")


def check_attempts(app, agents, quiz_id):
    """Exactly one attempt at the burst's quiz per agent, every one submitted: (lost, doubled).
    (The coaches who warmed the server up took the quiz too; the agents' history is of others.)"""
    with app.app_context():
        of_agents = (select(QuizAttempt).join(User, User.id == QuizAttempt.user_id)
                     .where(User.role == "agent", QuizAttempt.quiz_id == quiz_id).subquery())
        per_user = dict(db.session.execute(select(of_agents.c.user_id, func.count()).group_by(of_agents.c.user_id)).all())
        submitted = db.session.scalar(select(func.count()).select_from(of_agents)
                                      .where(of_agents.c.status == SUBMITTED))
        db.session.remove()
    doubled = sum(n - 1 for n in per_user.values() if n > 1)
    lost = (agents - len(per_user)) + (len(per_user) - submitted if submitted < len(per_user) else 0)
    return lost, doubled, submitted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LMS_BENCH_DATABASE_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/bench_load"))
    parser.add_argument("--agents", type=int, default=1000, help="agents in the site and in the quiz burst")
    parser.add_argument("--seconds", type=int, default=60, help="the burst's agents submit within this time")
    parser.add_argument("--browse-rps", type=float, default=150, help="requests/s offered while browsing")
    parser.add_argument("--browse-seconds", type=int, default=60)
    parser.add_argument("--rows-per-agent", type=int, default=100, help="evidence rows per agent")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=5230)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lms-load-"))
    started = time.monotonic()
    app = fresh_app(args.database_url, SECRET_KEY=SECRET)
    people = build(app, args.agents, args.rows_per_agent)
    people_file = workdir / "people.json"
    people_file.write_text(json.dumps(people))
    print(f"  site: {args.agents} agents in {len(people['coaches'])} teams of {TEAM_SIZE} with a coach each, "
          f"{args.rows_per_agent} evidence rows per agent, built in {time.monotonic() - started:.0f} s "
          f"({make_url(args.database_url).get_backend_name()}); files in {workdir}")
    with app.app_context():
        db.session.remove()
        app.extensions["sqlalchemy"].engine.dispose()

    server = serve(args.database_url, args.port, args.workers, workdir)
    try:
        warm_quiz(args.port, people, args.workers)
        burst, elapsed, cpu = locust("burst", people_file, server, args.port, workdir, args.agents,
                                     max(1, args.agents // 10), 10 + args.seconds + 20, LOAD_SUBMIT_SECONDS=args.seconds)
        burst_n, burst_errors, burst_p95, names = summary(burst)
        print(f"  quiz burst: {args.agents} agents started within 10 s, submitted within {args.seconds} s: "
              f"{burst_n} requests in {elapsed:.0f} s, {burst_errors} errors, p95 {burst_p95} ms")
        show(names)
        # locust takes about a second to start its users; the agents then arrive for 10 s.
        print(f"  CPU while the agents arrive (seconds 1-11): {described(cpu.cores(1, 11))}; "
              f"afterwards: {described(cpu.cores(11))}")
        lost, doubled, submitted = check_attempts(app, args.agents, people["quiz"])
        print(f"  attempts in the database: {submitted} submitted, {lost} lost, {doubled} twice")

        warm(args.port, people, args.workers)
        users = max(1, round(args.browse_rps / PACE))
        browse, elapsed, cpu = locust("browse", people_file, server, args.port, workdir, users, max(1, users // 2),
                                      args.browse_seconds, LOAD_PACE=PACE)
        browse_n, browse_errors, browse_p95, names = summary(browse)
        spawning = users / max(1, users // 2)
        browse_rps = steady_rate(browse, after=spawning + 1 / PACE)
        print(f"  browsing: {users} users at {PACE} requests/s each ({args.browse_rps:.0f}/s offered): "
              f"{browse_n} requests in {elapsed:.0f} s, {browse_rps:.0f}/s served once all were asking, "
              f"{browse_errors} errors, p95 {browse_p95} ms")
        show(names)
        print(f"  CPU while browsing: {described(cpu.cores())}")
    finally:
        stop(server)
    burst_errors += lost + doubled
    print(f"load: burst_p95_ms={burst_p95} burst_errors={burst_errors} browse_rps={browse_rps:.0f} "
          f"browse_p95_ms={browse_p95}")


if __name__ == "__main__":
    main()
