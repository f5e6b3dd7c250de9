"""A real gunicorn with two workers and the repository's gunicorn.conf.py: /metrics adds up the
requests of both workers, and SIGTERM lets a request in flight finish before the server stops."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TEST_CONTENT

ROOT = Path(__file__).resolve().parent.parent


class Gunicorn:
    """gunicorn started in a process group of its own, on a port the system picks."""

    def __init__(self, tmp_path, database_url, **settings):
        self.log = tmp_path / "gunicorn.log"
        self.metrics_dir = tmp_path / "metrics"
        self.metrics_dir.mkdir()
        self.gate_path = str(tmp_path / "gate.sock")
        self.gate = socket.socket(socket.AF_UNIX)
        self.gate.bind(self.gate_path)
        self.gate.listen(4)
        self.gate.settimeout(60)
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
               "LMS_CONTENT_ROOT": str(TEST_CONTENT), "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
               "LMS_DELIVERY_WORKER": "none", "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir),
               "OPS_TEST_GATE": self.gate_path, **settings}
        # The test makes the listening socket and gunicorn inherits it: the port is known, and a
        # request sent before a worker is up waits in its backlog instead of being refused.
        listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        listener.set_inheritable(True)
        self.url = "http://127.0.0.1:%d" % listener.getsockname()[1]
        with self.log.open("wb") as log, listener:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                 "--bind", f"fd://{listener.fileno()}", "--workers", "2", "tests.ops_gunicorn_app:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                pass_fds=[listener.fileno()])
        try:
            assert self.get(self.url, "/health/live")[0] == 200
        except (OSError, AssertionError) as error:
            raise AssertionError(f"gunicorn did not answer ({error}):\n{self.log.read_text(errors='replace')}")

    @staticmethod
    def get(base, path):
        with urllib.request.urlopen(base + path, timeout=60) as response:
            return response.status, response.headers.get("X-Served-By"), response.read().decode()

    def hold(self):
        """Start a request that holds its worker; returns (its worker's pid, release, result)."""
        result = {}

        def ask():
            result["answer"] = self.get(self.url, "/_test/held")

        thread = threading.Thread(target=ask, daemon=True)
        thread.start()
        connection, _ = self.gate.accept()
        pid = int(connection.makefile().readline())

        def release():
            connection.sendall(b"g")
            connection.close()
            thread.join(60)
            return result["answer"]

        return pid, release

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)
        self.gate.close()


@pytest.fixture
def gunicorn(tmp_path, database_url, app, request):  # app: the database is migrated
    server = Gunicorn(tmp_path, database_url, **getattr(request, "param", {}))
    yield server
    server.stop()


def counted(metrics, endpoint):
    match = re.search(rf'^lms_http_requests_total{{endpoint="{re.escape(endpoint)}",method="GET",status="200"}} '
                      r"([0-9.]+)$", metrics, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.mark.parametrize("gunicorn", [{"LMS_LOG_FORMAT": "json"}], indirect=True)
def test_metrics_add_up_across_workers(gunicorn):
    before = counted(gunicorn.get(gunicorn.url, "/metrics")[2], "lms_ops.live")
    # A held request keeps one worker busy, so the other answers everything else; then the
    # other way round. Each worker is known to have answered three requests.
    first_held, release_first = gunicorn.hold()
    served = [gunicorn.get(gunicorn.url, "/health/live")[1] for _ in range(3)]
    second_held, release_second = gunicorn.hold()
    assert release_first()[2] == "finished"
    served += [gunicorn.get(gunicorn.url, "/health/live")[1] for _ in range(3)]
    assert release_second()[2] == "finished"
    assert served == [str(second_held)] * 3 + [str(first_held)] * 3 and first_held != second_held

    metrics = gunicorn.get(gunicorn.url, "/metrics")[2]
    assert counted(metrics, "lms_ops.live") == before + 6
    assert counted(metrics, "held") == 2
    assert re.search(r'^lms_http_request_duration_seconds_count{endpoint="held",method="GET",status="200"} 2\.0$',
                     metrics, re.M)

    # With LMS_LOG_FORMAT=json every line is a JSON object, gunicorn's own included.
    records = [json.loads(line) for line in gunicorn.log.read_text().splitlines()]
    assert any(r["logger"] == "gunicorn.error" and r["message"].startswith("Booting worker") for r in records)
    held = [r for r in records if r["logger"] == "lms.requests" and r["path"] == "/_test/held"]
    assert [r["status"] for r in held] == [200, 200] and len({r["request_id"] for r in held}) == 2


def test_workers_keep_the_loaded_app_out_of_the_collectors_sweeps(gunicorn):
    # Most of a worker's objects came with the app, before its first request: frozen, a full
    # collection no longer walks them (gunicorn.conf.py's post_worker_init).
    counts = json.loads(gunicorn.get(gunicorn.url, "/_test/gc")[2])
    assert counts["frozen"] > counts["tracked"] > 0
    # and the youngest generation is collected every 7,000 allocations (Python's default: 700)
    assert counts["threshold"][0] == 7000


def test_sigterm_lets_the_request_in_flight_finish(gunicorn):
    held_by, release = gunicorn.hold()
    os.kill(gunicorn.process.pid, signal.SIGTERM)
    # The worker answering is told to stop; it must first finish what it has.
    status, served_by, body = release()
    assert (status, served_by, body) == (200, str(held_by), "finished")
    assert gunicorn.process.wait(60) == 0
    log = gunicorn.log.read_text(errors="replace")
    assert "Handling signal: term" in log and "Shutting down: Master" in log
    # child_exit ran for both workers: no gauge of a dead worker is left to count.
    assert list(gunicorn.metrics_dir.glob("gauge_livesum_*.db")) == []
    assert list(gunicorn.metrics_dir.glob("counter_*.db"))  # while the counters stay
