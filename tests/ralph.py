"""A real Learning Record Store for the xAPI tests: Ralph (ralph-malph), file-system backend,
run from its own virtual environment (``make .venv-ralph``; its FastAPI and pydantic pins must
not meet ours), on a free port of 5250-5299. It can be stopped and started again on the same
port and store, to play an LRS that is down for a while."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from base64 import b64encode
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT

RALPH = PROJECT_ROOT / ".venv-ralph" / "bin" / "ralph"
SITE = Path(__file__).parent / "ralph_site"
PORTS = range(5250, 5300)
USERNAME, PASSWORD = "cx-academy", "lrs-test-password"
START_WITHIN = 60  # seconds; it usually answers in about two


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Ralph:
    """One Ralph LRS: ``start()``, ``stop()``, ``statements()``; ``endpoint`` is its xAPI root."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI"
        self.process = None
        (folder / "store").mkdir()
        self.env = {**os.environ,
                    "RALPH_AUTH_FILE": str(folder / "auth.json"),
                    "RALPH_RUNSERVER_BACKEND": "fs",
                    "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "store"),
                    "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": "1000",
                    # Its fs backend appends (see ralph_site/sitecustomize.py for why it must be told).
                    "PYTHONPATH": str(SITE)}
        # Ralph's own command writes the credentials file (a bcrypt hash and the account's scopes).
        subprocess.run([str(RALPH), "auth", "--username", USERNAME, "--password", PASSWORD, "--scope", "all",
                        "--agent-ifi-mbox", "mailto:cx-academy@example.org", "--write-to-disk"],
                       env=self.env, cwd=folder, check=True, capture_output=True)

    def start(self):
        log = open(self.folder / "ralph.log", "ab")
        self.process = subprocess.Popen(
            [str(RALPH), "runserver", "--backend", "fs", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_WITHIN
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("Ralph did not start:\n" + (self.folder / "ralph.log").read_text()[-3000:])
            time.sleep(0.05)  # polling for the heartbeat, not waiting a fixed time

    def stop(self):
        """Stop the server and its reloader (their own process group) and wait until the port is closed."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
        while self._answers():
            time.sleep(0.05)

    def _answers(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def statements(self):
        """Every statement the LRS holds, read through its own xAPI API."""
        request = urllib.request.Request(f"{self.endpoint}/statements?limit=1000", headers={
            "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
        assert not body.get("more"), "more statements than one page"
        return body["statements"]


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    if not RALPH.exists():
        pytest.fail(f"{RALPH} is missing: run `make .venv-ralph` (make install-test does)")
    lrs = Ralph(tmp_path_factory.mktemp("ralph"))
    lrs.start()
    yield lrs
    lrs.stop()
