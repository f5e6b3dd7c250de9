"""Markdown to HTML for lessons and items; every output goes through nh3, so no content
file can put script, event handlers or foreign markup on a page."""

import markdown
import nh3

_EXTENSIONS = ["tables", "sane_lists"]


def render_markdown(text):
    """Render ``text`` and return sanitised HTML."""
    html = markdown.markdown(text or "", extensions=_EXTENSIONS, output_format="html")
    return nh3.clean(html)
