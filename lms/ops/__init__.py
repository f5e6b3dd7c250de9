"""What a hosting team expects of a web process: ``/health`` (readiness) and ``/health/live``
(liveness), a request id on every response and log record, one structured log line per
request, and ``/metrics`` for Prometheus. gunicorn.conf.py at the repository's root adds the
graceful shutdown of workers."""

from .health import register_check
from .metrics import queue_counts, register_queue
from .request_log import RequestIdFilter, current_request_id

__all__ = ["RequestIdFilter", "current_request_id", "init_app", "queue_counts", "register_check", "register_queue"]


def init_app(app):
    """Mount the endpoints (at ``LMS_OPS_URL_PREFIX``, the site's root by default) and hook
    request ids, logs and metrics into every request of the app, the host's pages included:
    a hosting team measures the process, not one blueprint."""
    from . import metrics, request_log
    from .blueprint import bp

    request_log.configure_logging(app)
    app.before_request(request_log.start_request)
    app.before_request(metrics.start_request)
    app.after_request(metrics.count_response)
    app.after_request(request_log.finish_request)
    app.teardown_request(metrics.end_request)
    app.register_blueprint(bp, url_prefix=app.config["LMS_OPS_URL_PREFIX"] or None)
