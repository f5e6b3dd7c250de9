"""Question text in Moodle's four formats to our Markdown, which the catalogue renders and
sanitises again when it loads (markdown_render.py)."""

from html import unescape

import html2text
import markdown
import nh3

from ..i18n import _

HTML, MARKDOWN, MOODLE, PLAIN = "html", "markdown", "moodle_auto_format", "plain_text"
#: GIFT's [format] names for Moodle's format names.
GIFT_FORMATS = {"html": HTML, "markdown": MARKDOWN, "moodle": MOODLE, "plain": PLAIN}
#: Characters that would turn plain text into Markdown markup.
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>"})


def to_markdown(text, fmt, notes=None):
    """``text`` in ``fmt`` as Markdown; what is lost (images, scripts) is appended to ``notes``."""
    text = (text or "").strip()
    if fmt == HTML:
        return _html(text, notes)
    if fmt == MARKDOWN:
        return text
    # plain and Moodle's auto-format: every character literal, every line break kept
    lines = [line.strip().translate(_MARKDOWN_SPECIALS) for line in text.splitlines()]
    return "  \n".join(lines).strip()


def plain(markdown_text):
    """Markdown as the plain text an option shows (options are not rendered as Markdown)."""
    return unescape(nh3.clean(markdown.markdown(markdown_text), tags=set())).strip()


def _html(text, notes):
    if notes is not None and "<img" in text.lower():
        notes.append(_("an image was left out (files are not imported)"))
    clean = nh3.clean(text, tags=_KEPT_TAGS)  # nothing executable reaches the converter
    converter = html2text.HTML2Text()
    converter.body_width = 0  # no re-wrapping: the author edits these lines
    converter.ignore_images = True
    return converter.handle(clean).strip()


_KEPT_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "code", "pre", "blockquote",
              "h1", "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "sub", "sup", "span", "div"}
