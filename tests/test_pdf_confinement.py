"""The PDF renderer reads only the certificate folder and the package's static files, embeds no
attachments, and its pool of renderer processes goes when the worker that started it dies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from lms.pdf import PackagedFilesFetcher, render_pdf

SECRET = "the-instance-secret-key-0123456789"


@pytest.fixture
def site(tmp_path):
    """An instance folder holding a secret key, and a certificate folder inside it."""
    (tmp_path / "secret_key").write_text(SECRET)
    folder = tmp_path / "certificates"
    folder.mkdir()
    (folder / "notes.txt").write_text("inside the folder")
    return folder


def embedded(pdf_bytes):
    import io
    return PdfReader(io.BytesIO(pdf_bytes)).attachments


@pytest.mark.parametrize("escape", ["%2e%2e/secret_key", "%2E%2E/secret_key", ".%2e/secret_key",
                                    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"])
def test_a_percent_encoded_parent_is_refused(site, escape):
    fetcher = PackagedFilesFetcher([site])
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(site.as_uri() + "/" + escape)
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("file://elsewhere.example/etc/passwd")


def test_a_file_inside_the_folder_is_still_served(site):
    response = PackagedFilesFetcher([site]).fetch(site.as_uri() + "/notes%2Etxt")
    try:
        assert response.read() == b"inside the folder"
    finally:
        response.close()


def test_no_template_can_embed_the_secret_key_or_etc_passwd(site):
    html = """<html><head>
      <link rel="attachment" href="%2e%2e/secret_key" title="key">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="notes.txt">
    </head><body><p>Certificate</p>
      <a rel="attachment" href="%2e%2e/secret_key">key</a>
      <a rel="attachment" href="notes.txt">notes</a>
    </body></html>"""
    pdf = render_pdf(html, "", base_dir=site)
    assert embedded(pdf) == {}  # not even a file of the folder: certificates carry no files
    assert SECRET.encode() not in pdf and b"root:x:0:0" not in pdf


PARENT = """
import sys
from lms.pdf import _executor
pool = _executor(2)
list(pool.map(abs, [-1, -2, -3, -4]))
print(" ".join(str(pid) for pid in pool._processes), flush=True)
sys.stdin.read()  # wait to be killed
"""


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_renderer_processes_exit_when_their_worker_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).parent.parent)
    try:
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert children and all(_alive(pid) for pid in children)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children), "renderer processes outlived their worker"
    finally:
        parent.kill()
        parent.wait()
        parent.stdin.close()
        parent.stdout.close()
        for pid in children if "children" in locals() else []:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
