"""PDF rendering with WeasyPrint that can fetch nothing but the plugin's own packaged files.

Report and certificate data may hold anything a user typed; a name like
``<img src="file:///etc/passwd">`` is escaped by Jinja, and even markup that reached the
renderer could not load a local file or a URL: only ``data:`` URIs and files under the
allowed folders are served."""

from pathlib import Path

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
            path = Path(url.split("?")[0].removeprefix("file://")).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused to fetch {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"refused to fetch {url}")
        return super().fetch(url, headers)


def render_pdf(html, stylesheet, base_dir=PACKAGE_STATIC):
    """HTML + CSS text -> PDF bytes. Relative URLs resolve against ``base_dir``, the only folder
    (with the package's static files) that the renderer may read."""
    fetcher = PackagedFilesFetcher([PACKAGE_STATIC, base_dir])
    base_url = Path(base_dir).resolve().as_uri() + "/"
    css = CSS(string=stylesheet, base_url=base_url, font_config=_FONT_CONFIG, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=_FONT_CONFIG)
