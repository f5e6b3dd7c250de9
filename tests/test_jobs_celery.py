"""A real Celery worker on Redis prints 500 certificates while the web process keeps answering
pages; the worker is killed with -9 mid-print, another one is started, and the print completes
from the parts the first one finished. Page latencies are printed, not asserted (bench/print_job.py
measures them)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from lms import db
from lms.db import utcnow
from lms.jobs import queue

from .conftest import TEST_CONTENT, signed_in
from .job_helpers import job_row, many_certificates

pytestmark = pytest.mark.celery
redis = pytest.importorskip("redis")
BROKER = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CERTIFICATES = 500
PAGES = ("/manage/certificates?status=revoked", "/certificates", "/admin/jobs")


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {BROKER}")
    yield BROKER
    client.flushdb()


def start_worker(app, database_url, name, log):
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=app.config["SECRET_KEY"],
               LMS_CONTENT_ROOT=str(TEST_CONTENT), LMS_INSTANCE_PATH=app.instance_path,
               LMS_CELERY_BROKER_URL=BROKER, LMS_PDF_PROCESSES="1", LMS_JOB_LEASE_SECONDS="5",
               LMS_DELIVERY_WORKER="none")
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "lms.jobs.worker", "worker", "--pool=solo",
                             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
                             "-n", f"{name}@%h"], env=env, stdout=subprocess.DEVNULL, stderr=log)


def wait_for(condition, pages, client, limit=120):
    """Open pages as a manager would until ``condition()``; their latencies in ms."""
    latencies = []
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "the print did not move on"
        for path in pages:
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def test_a_worker_killed_mid_print_is_replaced_and_the_print_completes(app, database_url, broker, make_user,
                                                                        monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "celery")
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", broker)
    monkeypatch.setitem(app.config, "LMS_JOB_LEASE_SECONDS", 5)
    app.extensions.pop("lms_celery", None)
    sara = make_user("sara", team="Alborz")
    make_user("admin", role="admin")
    many_certificates(app, sara, CERTIFICATES)
    manager = signed_in(app, "admin")
    response = manager.get("/manage/certificates/print.pdf")
    assert response.status_code == 303
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])

    log = open(tmp_path / "workers.log", "wb")  # noqa: SIM115  (closed below, after both workers)
    first = start_worker(app, database_url, "first", log)
    try:
        started = time.monotonic()
        latencies = wait_for(lambda: job_row(app, job_id).progress >= 100, PAGES, manager)
        print(f"\n100 printed after {time.monotonic() - started:.1f}s")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        halfway = job_row(app, job_id)
        assert halfway.state == "running" and halfway.progress < CERTIFICATES
        second = start_worker(app, database_url, "second", log)
        try:
            # The sweep only takes back expired leases: pages are opened until the dead worker's runs out.
            latencies += wait_for(lambda: utcnow() > halfway.lease_until, PAGES, manager)
            with app.app_context():
                assert queue.sweep()["requeued"] == 1
            print(f"second worker up after {time.monotonic() - started:.1f}s")
            latencies += wait_for(lambda: job_row(app, job_id).state in ("done", "failed"), PAGES, manager)
            print(f"done after {time.monotonic() - started:.1f}s")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(20)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
        log.close()
        print((tmp_path / "workers.log").read_text()[-3000:])
    job = job_row(app, job_id)
    assert (job.state, job.progress, job.attempts) == ("done", CERTIFICATES, 2), job.last_error
    with manager.get(f"/jobs/{job_id}/file") as pdf:
        assert pdf.status_code == 200
        path = os.path.join(app.instance_path, "jobs", str(job_id), "check.pdf")
        with open(path, "wb") as out:
            out.write(pdf.data)
    assert len(PdfReader(path).pages) == CERTIFICATES
    latencies.sort()
    print(f"\npages while printing: n={len(latencies)} p50={latencies[len(latencies) // 2]:.0f}ms "
          f"p95={latencies[int(len(latencies) * 0.95)]:.0f}ms")
    with app.app_context():
        db.session.remove()
