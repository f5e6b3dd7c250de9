"""The content catalogue of the app handling this request."""

from flask import current_app

from .i18n import content_text


def current_catalog():
    """The Catalog loaded by init_app (None only when the content failed to load)."""
    return current_app.extensions["lms"].catalog


def topic_title(topic):
    """A topic by its module's title (the catalogue's words), or its id if it has none."""
    module = current_catalog().topic_module(topic)
    return content_text(module.title) if module else topic
