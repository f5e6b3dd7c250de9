"""PDF rendering with WeasyPrint that can fetch nothing but the plugin's own packaged files.

Report and certificate data may hold anything a user typed; a name like
``<img src="file:///etc/passwd">`` is escaped by Jinja, and even markup that reached the
renderer could not load a local file or a URL: only ``data:`` URIs and files under the
allowed folders are served."""

import io
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

PACKAGE_STATIC = Path(__file__).parent / "static"
_FONT_CONFIG = FontConfiguration()  # reused: building it per render costs most of the time


class PackagedFilesFetcher(URLFetcher):
    """Serves data: URIs and files inside ``roots``; refuses everything else."""

    def __init__(self, roots):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            # The path decoded exactly as the file will be opened (WeasyPrint unquotes it):
            # checked undecoded, "%2e%2e/" passed for a folder name and then read as "../".
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if urlsplit(url).netloc not in ("", "localhost") or not any(
                    path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused to fetch {url}")
            url = path.as_uri()  # what was checked is what is read
        elif not url.startswith("data:"):
            raise ValueError(f"refused to fetch {url}")
        return super().fetch(url, headers)


def _without_attachments(document):
    """A certificate is a page to print, never a carrier of files: drop ``<link rel=attachment>``
    and ``<a rel=attachment>`` before anything is fetched for them."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document


def render_pdf(html, stylesheet, base_dir=PACKAGE_STATIC):
    """HTML + CSS text -> PDF bytes. Relative URLs resolve against ``base_dir``, the only folder
    (with the package's static files) that the renderer may read."""
    fetcher = PackagedFilesFetcher([PACKAGE_STATIC, base_dir])
    base_url = Path(base_dir).resolve().as_uri() + "/"
    css = CSS(string=stylesheet, base_url=base_url, font_config=_FONT_CONFIG, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[css], font_config=_FONT_CONFIG)
    return _without_attachments(document).write_pdf()


_pool = None  # (pid, executor): per process, never inherited by a fork


def _executor(processes):
    """A pool of renderer processes, started once per worker process and kept: starting one
    (importing WeasyPrint) costs about a second. Spawned, not forked, so no child inherits
    the parent's database connections or threads."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                                  initializer=_exit_with_parent))
    return _pool[1]


def shutdown_pool():
    """Stop this process's renderer pool, if it has one: a gunicorn worker leaving
    (gunicorn.conf.py) lets a print in progress finish and starts nothing new."""
    global _pool
    if _pool is not None and _pool[0] == os.getpid():
        _pool[1].shutdown(wait=True, cancel_futures=True)
    _pool = None


def _exit_with_parent():
    """In each renderer process: exit as soon as the worker that started it is gone. A worker
    killed with -9 runs no cleanup, and its renderers would otherwise wait for work forever.
    The parent's sentinel becomes readable when it dies (no polling)."""
    sentinel = multiprocessing.parent_process().sentinel

    def watch():
        multiprocessing.connection.wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def render_pdf_parts(htmls, stylesheet, base_dir=PACKAGE_STATIC, processes=1):
    """Several HTML documents as one PDF, their pages in order. With ``processes`` > 1 the
    documents are laid out in parallel: WeasyPrint uses one core, and a print of hundreds
    of pages spends nearly all its time in layout."""
    htmls = list(htmls)
    if len(htmls) == 1:
        return render_pdf(htmls[0], stylesheet, base_dir)
    if processes > 1:
        parts = list(_executor(processes).map(render_pdf, htmls, [stylesheet] * len(htmls),
                                              [str(base_dir)] * len(htmls)))
    else:
        parts = [render_pdf(html, stylesheet, base_dir) for html in htmls]
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
