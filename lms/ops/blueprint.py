"""URLs of the operations endpoints, outside the plugin's blueprint: they answer while the
content has errors, and without the plugin's sign-in, locale or CSRF steps."""

from flask import Blueprint, abort, current_app, jsonify

from . import health, metrics

bp = Blueprint("lms_ops", __name__)


@bp.get("/health/live")
def live():
    """Liveness: the process answers. No I/O, so a slow database never gets a worker killed."""
    return _no_store(jsonify(status="ok"))


@bp.get("/health")
def ready():
    """Readiness: 200 when every check passes, 503 with each check's result otherwise."""
    ok, checks = health.run_checks(current_app._get_current_object())
    return _no_store(jsonify(status="ok" if ok else "down", checks=checks)), 200 if ok else 503


@bp.get("/metrics")
def scrape():
    if not metrics.allowed():
        abort(403)
    body, content_type = metrics.exposition()
    return _no_store(current_app.response_class(body, content_type=content_type))


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
