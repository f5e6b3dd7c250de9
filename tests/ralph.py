"""A real Learning Record Store for the xAPI tests: Ralph (ralph-malph), file-system backend,
run from its own virtual environment (``make .venv-ralph``; its FastAPI and pydantic pins must
not meet ours), on a port the system picked. It can be stopped and started again on the same
port and store, to play an LRS that is down for a while: the port stays held meanwhile (see
hold_port), so another test run beside this one cannot start its own LRS there and take this
run's statements."""

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
USERNAME, PASSWORD = "cx-academy", "lrs-test-password"
START_WITHIN = 60  # seconds; it usually answers in about two


def hold_port():
    """A socket bound to a port the system picked, never listening: while it is open no other
    process is given the port, and connecting to it is refused, as to an LRS that is down.
    (SO_REUSEADDR on both sides lets Ralph's server bind the same port and listen beside it.)"""
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", 0))
    return holder


class Ralph:
    """One Ralph LRS: ``start()``, ``stop()``, ``statements()``; ``endpoint`` is its xAPI root."""

    def __init__(self, folder):
        self.folder = folder
        self.holder = hold_port()
        self.port = self.holder.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI"
        self.process = None
        (folder / "store").mkdir()
        self.env = {**os.environ,
                    "RALPH_AUTH_FILE": str(folder / "auth.json"),
                    # Its own history of what it has read, not the one in ~/.config/ralph that every
                    # Ralph on the machine rewrites whole (two test runs side by side read each
                    # other's half-written file and answered 500).
                    "RALPH_HISTORY_FILE": str(folder / "history.json"),
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
    lrs.holder.close()
