"""Request ids and structured logs.

Every request gets an id: the client's ``X-Request-ID`` when ``LMS_TRUST_REQUEST_ID`` is on (a
proxy in front sets it, so its log and ours join up), a new one otherwise (a client must not be
able to forge another request's id into our logs). The id goes back in the response header and
onto every log record made while the request runs, and one line per request says what was
asked, the answer and how long it took."""

import logging
import re
import sys
import time
import uuid

from flask import current_app, g, has_app_context, request

HEADER = "X-Request-ID"
#: What a trusted id may look like: short, and nothing that could break a log line.
_VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
FORMATS = ("text", "json", "none")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id"]

access_log = logging.getLogger("lms.requests")


def truthy(value):
    """A setting that may come from the environment as text: 1, true, yes, on."""
    return str(value).strip().lower() in ("1", "true", "yes", "on") if value is not None else False


def current_request_id():
    """The running request's id, or "-" outside a request (a command, a background thread)."""
    return (g.get("lms_request_id") if has_app_context() else None) or "-"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record passing the handler it is attached to."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def start_request():
    incoming = request.headers.get(HEADER, "")
    trusted = truthy(current_app.config["LMS_TRUST_REQUEST_ID"]) and _VALID_ID.fullmatch(incoming)
    g.lms_request_id = incoming if trusted else uuid.uuid4().hex
    g.lms_request_started = time.perf_counter()


def finish_request(response):
    """Send the id back and write the request's one log line."""
    request_id = g.get("lms_request_id")
    if request_id is None:  # a response made before our before_request ran
        return response
    response.headers[HEADER] = request_id
    duration_ms = round((time.perf_counter() - g.lms_request_started) * 1000, 1)
    # The path only: query strings may carry tokens.
    access_log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, duration_ms,
                    extra={"method": request.method, "path": request.path, "status": response.status_code,
                           "duration_ms": duration_ms, "endpoint": request.endpoint})
    return response


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (a test runner swaps it), not the one at start."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging(app):
    """With ``LMS_LOG_FORMAT`` text or json, one handler on the root logger writes every
    record (ours, the host's, libraries') to stderr with its request id; "none" leaves the
    host's logging as it is (add ``RequestIdFilter`` to your own handlers). Idempotent: a
    second app in the same process reuses the handler."""
    fmt = str(app.config["LMS_LOG_FORMAT"] or "none").lower()
    if fmt not in FORMATS:
        raise ValueError(f"LMS_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "none":
        return
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "lms_handler", False)), None)
    if handler is None:
        handler = _CurrentStderr()
        handler.lms_handler = True
        handler.addFilter(RequestIdFilter())
        root.addHandler(handler)
    handler.setFormatter(_json_formatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    lms_logger = logging.getLogger("lms")
    if lms_logger.level == logging.NOTSET:
        lms_logger.setLevel(app.config["LMS_LOG_LEVEL"])
    from flask.logging import default_handler

    # The root handler writes the app's records too; Flask's own would print them twice.
    app.logger.removeHandler(default_handler)


def _json_formatter():
    from pythonjsonlogger.json import JsonFormatter

    # One JSON object a line; extra fields (status, duration_ms, ...) become keys of their own.
    return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})
