"""Absolute links that go into signed documents (badges, their issuer, keys and status
lists). They are built on LMS_BASE_URL, never on the request's Host header: a signed badge
carries them for years, and a forged Host must not end up inside one."""

from urllib.parse import urlsplit

from flask import current_app


def public_url(endpoint, **values):
    """``url_for(endpoint, **values)`` as seen from LMS_BASE_URL (scheme, host and any path
    the site is mounted under)."""
    base = urlsplit(current_app.config["LMS_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
