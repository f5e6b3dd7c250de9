"""The content catalogue of the app handling this request."""

from flask import current_app


def current_catalog():
    """The Catalog loaded by init_app (None only when the content failed to load)."""
    return current_app.extensions["lms"].catalog
