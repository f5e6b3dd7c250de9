"""Benchmark of a large certificate print as a background job on a real Celery worker.

    python bench/print_job.py                      # 500 certificates, SQLite file, Redis db 14
    python bench/print_job.py --count 200 --database postgresql://postgres@127.0.0.1/bench
    python bench/print_job.py --broker redis://127.0.0.1:6379/14

A manager asks for the print (the same page as in production: above LMS_PRINT_JOB_THRESHOLD
it becomes a job); a Celery worker started here prints it while the web app keeps answering a
manager's pages, whose latencies are recorded. The target: pages under 150 ms while printing.
The last line is machine-readable.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402

from bench.certificates import build  # noqa: E402
from bench.common import fresh_app  # noqa: E402
from lms import db  # noqa: E402
from lms.db import with_driver  # noqa: E402
from lms.jobs.models import Job  # noqa: E402

PAGES = ("/manage/certificates?status=revoked", "/certificates", "/admin/audit/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--database", default=None, help="Database URL (default: a SQLite file).")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="lms-bench-print-job-")
    url = with_driver(args.database or f"sqlite:///{workdir}/bench.sqlite3")
    redis.Redis.from_url(args.broker).flushdb()
    os.environ["LMS_INSTANCE_PATH"] = workdir
    app = fresh_app(url, LMS_CELERY_BROKER_URL=args.broker, LMS_PRINT_JOB_THRESHOLD=50)
    with app.app_context():
        build(args.count)

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"username": "bench-manager", "password": "bench-password", "csrf_token": token})

    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench", LMS_CELERY_BROKER_URL=args.broker,
               LMS_PDF_PROCESSES="1", LMS_DELIVERY_WORKER="none")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "lms.jobs.worker", "worker", "--pool=solo",
                               "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "error"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # the worker's start (imports, content) is not the print's time
        started = time.perf_counter()
        response = client.get("/manage/certificates/print.pdf")
        assert response.status_code == 303, response.status_code
        job_id = int(response.headers["Location"].rsplit("/", 1)[1])
        latencies = []
        while True:
            with app.app_context():
                state = db.session.get(Job, job_id).state
                db.session.remove()
            if state in ("done", "failed"):
                break
            for path in PAGES:
                t = time.perf_counter()
                assert client.get(path).status_code == 200, path
                latencies.append((time.perf_counter() - t) * 1000)
        seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(20)
    assert state == "done", state
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else 0
    print(f"  pages while printing: {len(latencies)}, median {latencies[len(latencies) // 2]:.0f} ms")
    print(f"print_job: certificates={args.count} seconds={seconds:.1f} page_p95_ms={p95:.0f}")


if __name__ == "__main__":
    main()
