"""CPU work of each request of the quiz burst inside a real gunicorn worker, counted in
instructions: what bench/instructions.py counts in-process, plus gunicorn's own parsing and
writing, and split by request.

    createdb -h 127.0.0.1 -U postgres bench_instr
    python bench/worker_instructions.py              # 15 agents per request
    python bench/worker_instructions.py --agents 30

Builds a site as bench/load.py does (100 agents), starts gunicorn with one worker under
``valgrind --tool=callgrind`` with counting switched off, and lets 10 agents take the quiz to
warm the worker up. Then four groups of ``--agents`` fresh agents each take the quiz over HTTP;
in the first group only the quiz page is counted, in the second only the start, then only the
attempt page, then only the submission (counting is switched on just before the request and
off once its answer is read). Fresh agents matter: one with an open attempt only resumes it.
Takes about three minutes (gunicorn starts slowly under valgrind); needs valgrind. The last
line is machine-readable: ``worker_instructions: quiz_page=... start=... ...`` in millions.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import fresh_app  # noqa: E402
from instructions import SITE_AGENTS, WARM_AGENTS  # noqa: E402
from load import SECRET, build, serve, signed_in, stop  # noqa: E402
from quiz_form import answer_sheet, csrf_token  # noqa: E402

REQUESTS = ("quiz_page", "start", "attempt_page", "submit")


class Worker:
    """The one gunicorn worker, its counting switched on and off by callgrind_control."""

    def __init__(self, server, out):
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        if len(children) != 1:
            raise SystemExit(f"expected gunicorn's one worker, found processes {children}")
        self.pid, self.out = int(children[0]), out

    def control(self, *options):
        subprocess.run(["callgrind_control", *options, str(self.pid)], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def counted(self, request):
        """Run ``request()`` with counting on."""
        self.control("--instr=on")
        try:
            return request()
        finally:
            self.control("--instr=off")

    def dumped(self):
        """The instructions counted since the last dump (callgrind writes a new file each time)."""
        before = set(self.out.parent.glob(f"{self.out.name}.{self.pid}.*"))
        self.control("--dump")
        written = set(self.out.parent.glob(f"{self.out.name}.{self.pid}.*")) - before
        return int(re.search(r"^totals: (\d+)", next(iter(written)).read_text(), re.M).group(1))


def take_quiz(base, people, agent, counted=None, count=None):
    """One agent's four requests, ``count`` (one of REQUESTS) through ``counted``."""
    browser = signed_in(agent)
    quiz = f"{base}{people['prefix']}/quizzes/{people['quiz']}"

    def ask(name, request):
        response = counted(request) if name == count else request()
        response.raise_for_status()
        return response

    intro = ask("quiz_page", lambda: browser.get(quiz, timeout=600))
    started = ask("start", lambda: browser.post(f"{quiz}/start", {"csrf_token": csrf_token(intro.text)},
                                                 allow_redirects=False, timeout=600))
    attempt = urljoin(quiz, started.headers["Location"])
    shown = ask("attempt_page", lambda: browser.get(attempt, timeout=600))
    sheet = dict(answer_sheet(shown.text), csrf_token=csrf_token(shown.text))
    sent = ask("submit", lambda: browser.post(attempt, sheet, allow_redirects=False, timeout=600))
    assert started.status_code == 303 and sent.status_code == 303, (started.status_code, sent.status_code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_instr")
    parser.add_argument("--agents", type=int, default=15, help="fresh agents per request counted")
    parser.add_argument("--port", type=int, default=8613)
    args = parser.parse_args()
    if WARM_AGENTS + len(REQUESTS) * args.agents > SITE_AGENTS:
        parser.error(f"at most {(SITE_AGENTS - WARM_AGENTS) // len(REQUESTS)} agents")

    workdir = Path(tempfile.mkdtemp(prefix="lms-worker-instructions-"))
    people = build(fresh_app(args.database_url, SECRET_KEY=SECRET), SITE_AGENTS, 100)
    out = workdir / "callgrind.out"
    server = serve(args.database_url, args.port, 1, workdir,
                   under=("valgrind", "--tool=callgrind", "--instr-atstart=no", "--trace-children=yes",
                          f"--callgrind-out-file={out}.%p", f"--log-file={workdir / 'valgrind.log'}"),
                   options=("--timeout", "900"))  # a worker under valgrind is ~50 times slower
    started = time.monotonic()
    try:
        worker = Worker(server, out)
        base = f"http://127.0.0.1:{args.port}"
        agents = iter(people["agents"])
        for _ in range(WARM_AGENTS):
            take_quiz(base, people, next(agents))
        millions = {}
        for name in REQUESTS:
            for _ in range(args.agents):
                take_quiz(base, people, next(agents), worker.counted, name)
            millions[name] = worker.dumped() / args.agents / 1e6
    finally:
        stop(server)
    millions["arrival"] = millions["quiz_page"] + millions["start"] + millions["attempt_page"]
    print(f"  one gunicorn worker on {args.database_url.rsplit('/', 1)[-1]}, {args.agents} fresh agents per request, "
          f"{time.monotonic() - started:.0f} s; files in {workdir}")
    for name in REQUESTS:
        print(f"    {name.replace('_', ' '):14} {millions[name]:6.2f} million instructions")
    print(f"    arriving (quiz page, start, attempt page): {millions['arrival']:.2f} million")
    print("worker_instructions: " + " ".join(f"{name}={value:.2f}" for name, value in millions.items()))


if __name__ == "__main__":
    main()
