"""Content by kind and id, and named in the reader's language, for lists, notifications
and e-mails."""

from markupsafe import Markup

from ..i18n import content_text


def content_of(catalog, kind, ident):
    """The module, quiz, role-play, lesson or item ``ident``, or None if there is none."""
    source = {"module": catalog.modules, "quiz": catalog.quizzes, "roleplay": catalog.roleplays,
              "lesson": catalog.lessons, "item": catalog.items}.get(kind, {})
    return source.get(ident)


def target_title(catalog, key):
    """The title of "module:<id>", "quiz:<id>" or "roleplay:<id>", or the key if it is gone."""
    found = content_of(catalog, *key.partition(":")[::2])
    return content_text(found.title) if found else key


def subject_title(catalog, kind, ident, length=80):
    """What a help request is about: a lesson's title, or the start of an item's question."""
    found = content_of(catalog, kind, ident)
    if found is None:
        return ident
    if kind == "lesson":
        return content_text(found.title)
    text = Markup(content_text(found.text)).striptags()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
