"""Content named in the reader's language, for lists, notifications and e-mails."""

from markupsafe import Markup

from ..i18n import content_text


def target_title(catalog, key):
    """The title of "module:<id>", "quiz:<id>" or "roleplay:<id>", or the key if it is gone."""
    kind, _sep, ident = key.partition(":")
    found = {"module": catalog.modules, "quiz": catalog.quizzes, "roleplay": catalog.roleplays}.get(kind, {}).get(ident)
    return content_text(found.title) if found else key


def subject_title(catalog, kind, ident, length=80):
    """What a help request is about: a lesson's title, or the start of an item's question."""
    if kind == "lesson":
        lesson = catalog.lessons.get(ident)
        return content_text(lesson.title) if lesson else ident
    item = catalog.items.get(ident)
    if item is None:
        return ident
    text = Markup(content_text(item.text)).striptags()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
