"""Readiness checks: is this process able to serve (database, queue, content)?

Each check is a plain function run with the app context; it returns a dict of details (or
None) when the thing is fine, ``{"status": "skipped", ...}`` when there is nothing to check,
and raises when it is not fine. A check that does not answer within ``LMS_HEALTH_TIMEOUT``
seconds counts as down: a load balancer asks every few seconds and must get an answer
quickly, even from a database that hangs rather than refuses."""

import threading
import time
from urllib.parse import urlsplit

import kombu
import kombu.exceptions
import redis
from flask import current_app
from sqlalchemy import text

#: name -> function(); other packages add theirs with register_check().
CHECKS = {}


def register_check(name, function):
    """Add (or replace) a readiness check; the jobs package replaces "queue" with its own."""
    CHECKS[name] = function
    return function


def run_checks(app):
    """Every check's result, and whether all passed: ``(ok, {"database": {"status": "ok", ...}})``."""
    timeout = float(app.config["LMS_HEALTH_TIMEOUT"])
    results = {name: _run_one(app, name, check, timeout) for name, check in CHECKS.items()}
    return all(result["status"] != "down" for result in results.values()), results


def _run_one(app, name, check, timeout):
    """One check in a daemon thread, so a hung connection neither holds the answer past the
    timeout nor keeps a stopping worker alive."""
    outcome = {}

    def target():
        started = time.perf_counter()
        try:
            with app.app_context():
                outcome["details"] = check() or {}
        except Exception as error:  # the check's own word that the thing is down
            outcome["error"] = error
        outcome["ms"] = round((time.perf_counter() - started) * 1000, 1)

    thread = threading.Thread(target=target, name=f"lms-health-{name}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        app.logger.warning("Health check %s did not answer within %ss", name, timeout)
        return {"status": "down", "error": f"no answer within {timeout:g} s"}
    if "error" in outcome:
        error = outcome["error"]
        app.logger.warning("Health check %s failed: %s: %s", name, type(error).__name__, error)
        # Only the kind of error: the body is public, the log has the rest (hosts, users).
        return {"status": "down", "error": type(error).__name__, "ms": outcome["ms"]}
    return {"status": "ok", "ms": outcome["ms"], **outcome["details"]}


def check_database():
    """One round trip to the plugin's database; on PostgreSQL the statement itself is limited
    too, so a locked or overloaded server cannot keep the connection busy."""
    engine = current_app.extensions["sqlalchemy"].engine
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            ms = int(float(current_app.config["LMS_HEALTH_TIMEOUT"]) * 1000)
            connection.execute(text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": str(ms)})
        connection.execute(text("SELECT 1"))
    return {"engine": engine.dialect.name}


def check_content():
    """The plugin's content loaded: without it every plugin page answers 503."""
    state = current_app.extensions.get("lms")
    if state is not None and state.content_error is not None:
        raise ContentNotLoaded("the training content has errors (flask lms check-content)")
    return None


class ContentNotLoaded(Exception):
    pass


def check_queue():
    """The Celery broker answers, when one is configured (LMS_CELERY_BROKER_URL): Redis is
    sent PING (redis-py), RabbitMQ gets a fresh AMQP connection and login (kombu, Celery's
    own transport library), so the check tells the broker's state, not a cached connection's."""
    url = current_app.config.get("LMS_CELERY_BROKER_URL")
    if not url:
        return {"status": "skipped", "reason": "no broker configured"}
    timeout = float(current_app.config["LMS_HEALTH_TIMEOUT"])
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss"):
        with redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout) as client:
            client.ping()
    elif scheme in ("amqp", "amqps", "pyamqp"):
        with kombu.Connection(url, connect_timeout=timeout) as connection:
            try:  # one try, no waiting between retries: the check has LMS_HEALTH_TIMEOUT in all
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)
            except kombu.exceptions.OperationalError as error:
                raise (error.__cause__ or error) from None  # the reason (refused, login...), not kombu's wrapper
    else:
        return {"status": "skipped", "reason": f"{scheme} brokers are not checked"}
    return {"broker": scheme}


register_check("database", check_database)
register_check("queue", check_queue)
register_check("content", check_content)
