"""CPU work of one agent in the quiz burst, counted in instructions: a figure that does not move
with the machine's load, unlike the timings of bench/load.py (on a shared 2-core machine they
vary by a factor of two within the hour).

    createdb -h 127.0.0.1 -U postgres bench_instr
    python bench/instructions.py                  # PostgreSQL database bench_instr, 30 agents
    python bench/instructions.py --agents 50 --database-url sqlite:////tmp/bench.sqlite3

Builds a site as bench/load.py does (100 agents with their evidence), then runs this script
again under ``valgrind --tool=callgrind`` with counting switched off: the app starts, a few
agents take the quiz to warm it up, and only then is counting switched on, for ``--agents``
agents each opening the quiz page, starting it, opening the attempt and submitting it through
the Flask test client. The figure is the app's own process (the database server's work is not
in it); the same code gives the same count to within about 0.2 %. Needs valgrind (Debian's
package). The last line is machine-readable: ``instructions: per_agent_millions=...``.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import fresh_app  # noqa: E402
from load import SECRET, build  # noqa: E402
from quiz_form import answer_sheet, csrf_token  # noqa: E402

WARM_AGENTS = 10
SITE_AGENTS = 100


def take_quiz(client, people, agent):
    """One agent's four requests of the burst; each must answer as in the load test."""
    client.set_cookie("session", agent["cookie"], domain="localhost")
    quiz = f"{people['prefix']}/quizzes/{people['quiz']}"
    intro = client.get(quiz)
    assert intro.status_code == 200, intro.status_code
    started = client.post(f"{quiz}/start", data={"csrf_token": csrf_token(intro.text)})
    assert started.status_code == 303, started.status_code
    shown = client.get(started.headers["Location"])
    assert shown.status_code == 200, shown.status_code
    sent = client.post(started.headers["Location"], data=dict(answer_sheet(shown.text), csrf_token=csrf_token(shown.text)))
    assert sent.status_code == 303, sent.status_code


def measured(people_file, agents, signals):
    """In the child, under callgrind: warm up, ask for counting, take the quiz, say when done."""
    from lms import create_app

    people = json.loads(Path(people_file).read_text())
    app = create_app()
    ready, go, done = (signals / name for name in ("ready", "go", "done"))
    for n, agent in enumerate(people["agents"][:WARM_AGENTS + agents]):
        if n == WARM_AGENTS:
            ready.touch()
            while not go.exists():
                time.sleep(0.05)
        take_quiz(app.test_client(), people, agent)
    done.touch()


def count(args, people_file, workdir):
    """Run this script under callgrind, counting only the measured agents; instructions."""
    signals = workdir / "signals"
    signals.mkdir()
    env = {**os.environ, "DATABASE_URL": args.database_url, "SECRET_KEY": SECRET, "LMS_INSTANCE_PATH": str(workdir),
           "LMS_DELIVERY_WORKER": "none", "LMS_LOG_FORMAT": "none"}
    out = workdir / "callgrind.out"
    child = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
                              sys.executable, __file__, "--measure", str(people_file), "--agents", str(args.agents),
                              "--signals", str(signals)],
                             env=env, stdout=subprocess.DEVNULL, stderr=open(workdir / "valgrind.log", "w"))

    def wait_for(name):
        while not (signals / name).exists():
            if child.poll() is not None:
                raise SystemExit(f"the measured run stopped early: see {workdir / 'valgrind.log'}")
            time.sleep(0.2)

    wait_for("ready")
    subprocess.run(["callgrind_control", "--instr=on", str(child.pid)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    (signals / "go").touch()
    wait_for("done")
    subprocess.run(["callgrind_control", "--instr=off", str(child.pid)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    if child.wait() != 0:
        raise SystemExit(f"the measured run failed: see {workdir / 'valgrind.log'}")
    totals = re.search(r"^totals: (\d+)", out.read_text(), re.M)
    return int(totals.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LMS_BENCH_DATABASE_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/bench_instr"))
    parser.add_argument("--agents", type=int, default=30, help="agents counted (after %d that warm up)" % WARM_AGENTS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--signals", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measured(args.measure, args.agents, Path(args.signals))
        return
    if args.agents + WARM_AGENTS > SITE_AGENTS:
        parser.error(f"at most {SITE_AGENTS - WARM_AGENTS} agents")

    workdir = Path(tempfile.mkdtemp(prefix="lms-instructions-"))
    people = build(fresh_app(args.database_url, SECRET_KEY=SECRET), SITE_AGENTS, 100)
    people_file = workdir / "people.json"
    people_file.write_text(json.dumps(people))
    started = time.monotonic()
    total = count(args, people_file, workdir)
    print(f"  {args.agents} agents, each: quiz page, start, attempt page, submission (in-process, "
          f"the app's instructions only): {total / args.agents / 1e6:.1f} million each; "
          f"{time.monotonic() - started:.0f} s under callgrind; files in {workdir}")
    print(f"instructions: per_agent_millions={total / args.agents / 1e6:.2f}")


if __name__ == "__main__":
    main()
