"""Operations endpoints through the test client: /health and /health/live, request ids and log
lines, /metrics and who may read it, and the gunicorn hooks that close what a worker opened."""

import logging
import os
import re
import runpy
import shutil
import threading
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from lms import db, pdf
from lms.jobs.models import Job
from lms.ops import health, queue_counts
from lms.outbox.models import Delivery
from tests.conftest import TEST_CONTENT, make_app

ROOT = Path(__file__).resolve().parent.parent
#: Ports of this machine where nothing listens (the ops range of issue 15): a service that is down.
DEAD_PORT = 5249
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
AMQP_URL = os.environ.get("LMS_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


@pytest.fixture
def another_app(tmp_path, database_url):
    """``another_app(url=None, **config)``: an app of its own, its connections closed after."""
    made = []

    def factory(url=None, **config):
        made.append(make_app(url or database_url, tmp_path, **config))
        return made[-1]

    yield factory
    for made_app in made:
        with made_app.app_context():
            made_app.extensions["sqlalchemy"].engine.dispose()


def test_live_answers_without_io(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_checks_database_content_and_queue(client, database_url):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database"]["engine"] == database_url.split(":")[0].split("+")[0]
    assert body["checks"]["content"]["status"] == "ok"
    # No broker configured: nothing to check, and not a reason to take the site out.
    assert body["checks"]["queue"] == {"status": "skipped", "reason": "no broker configured", "ms": body["checks"]["queue"]["ms"]}


def test_database_down_is_503_and_liveness_stays_up(another_app):
    down = another_app(f"postgresql+psycopg://postgres@127.0.0.1:{DEAD_PORT}/nothing")
    client = down.test_client()
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json["status"] == "down"
    assert response.json["checks"]["database"] == {"status": "down", "error": "OperationalError",
                                                   "ms": response.json["checks"]["database"]["ms"]}
    assert response.json["checks"]["content"]["status"] == "ok"
    assert client.get("/health/live").status_code == 200


def test_a_check_that_hangs_counts_as_down(client, app, monkeypatch):
    release = threading.Event()
    monkeypatch.setitem(health.CHECKS, "hung", lambda: release.wait(30))
    monkeypatch.setitem(app.config, "LMS_HEALTH_TIMEOUT", 0.2)
    try:
        response = client.get("/health")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json["checks"]["hung"] == {"status": "down", "error": "no answer within 0.2 s"}
    assert response.json["checks"]["database"]["status"] == "ok"


def test_a_registered_check_is_run(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "queue", lambda: {"workers": 2})
    assert client.get("/health").json["checks"]["queue"]["workers"] == 2


@pytest.mark.parametrize("url,scheme", [(REDIS_URL, "redis"), (AMQP_URL, "amqp")])
def test_queue_broker_up(client, app, monkeypatch, url, scheme):
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", url)
    response = client.get("/health")
    assert response.status_code == 200, response.json
    assert response.json["checks"]["queue"]["broker"] == scheme


@pytest.mark.parametrize("url,error", [(f"redis://127.0.0.1:{DEAD_PORT}/0", "ConnectionError"),
                                       (f"amqp://guest:guest@127.0.0.1:{DEAD_PORT}//", "ConnectionRefusedError"),
                                       ("amqp://guest:not-the-password@127.0.0.1:5672//", "AccessRefused")])
def test_queue_broker_down_is_503(client, app, monkeypatch, url, error):
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", url)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json["checks"]["queue"]["status"] == "down"
    assert response.json["checks"]["queue"]["error"] == error


def test_a_broker_not_spoken_is_skipped(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", "sqs://")
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["checks"]["queue"]["reason"] == "sqs brokers are not checked"


def test_redis_with_a_wrong_password_is_down(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL",
                        REDIS_URL.replace("redis://", "redis://nobody:wrong@"))
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json["checks"]["queue"]["error"] == "AuthenticationError"


def test_broken_content_is_503_but_health_answers(tmp_path, another_app, app):
    content = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, content)
    (content / "quizzes" / "basics" / "quiz.yaml").write_text("items: [", encoding="utf-8")
    broken = another_app(LMS_CONTENT_ROOT=str(content))
    client = broken.test_client()
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json["checks"]["content"] == {"status": "down", "error": "ContentNotLoaded",
                                                  "ms": response.json["checks"]["content"]["ms"]}
    assert response.json["checks"]["database"]["status"] == "ok"
    assert client.get("/sign-in").status_code == 503  # the plugin's own pages refuse, as before


# --- request ids and logs -------------------------------------------------------------------

def test_request_id_is_made_and_returned(client):
    first = client.get("/sign-in").headers["X-Request-ID"]
    second = client.get("/sign-in").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_client_request_id_ignored_unless_trusted(client, app, monkeypatch):
    assert client.get("/sign-in", headers={"X-Request-ID": "from-the-client"}).headers["X-Request-ID"] != "from-the-client"
    monkeypatch.setitem(app.config, "LMS_TRUST_REQUEST_ID", "1")
    assert client.get("/sign-in", headers={"X-Request-ID": "edge-42"}).headers["X-Request-ID"] == "edge-42"
    # Even from a trusted proxy, nothing that could forge a log line.
    forged = client.get("/sign-in", headers={"X-Request-ID": "a b [x] INFO"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_every_record_of_a_request_carries_its_id(client, app, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "LMS_TRUST_REQUEST_ID", True)
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", f"redis://127.0.0.1:{DEAD_PORT}/0")
    client.get("/health", headers={"X-Request-ID": "req-7"})
    lines = capsys.readouterr().err.splitlines()
    # The check's warning (another logger, another thread) and the request's own line.
    assert any(line.endswith(f"Health check queue failed: ConnectionError: Error 111 connecting to 127.0.0.1:{DEAD_PORT}. "
                             "Connection refused.") and "[req-7]" in line for line in lines), lines
    assert any(re.search(r"INFO \[req-7\] lms\.requests: GET /health 503 \d+\.\dms$", line) for line in lines), lines


def test_json_log_lines(client, app, monkeypatch, capsys):
    import json

    from lms.ops import request_log

    handler = next(h for h in logging.getLogger().handlers if getattr(h, "lms_handler", False))
    text_formatter = handler.formatter
    monkeypatch.setitem(app.config, "LMS_LOG_FORMAT", "json")
    request_log.configure_logging(app)
    try:
        capsys.readouterr()
        response = client.get("/sign-in")
        records = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    finally:
        handler.setFormatter(text_formatter)
    line = next(r for r in records if r["logger"] == "lms.requests")
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert (line["method"], line["path"], line["status"], line["endpoint"]) == ("GET", "/sign-in", 200,
                                                                               "lms.accounts.login")
    assert line["level"] == "INFO" and isinstance(line["duration_ms"], float)


def test_log_format_none_leaves_logging_alone(another_app):
    before = list(logging.getLogger().handlers)
    another_app(LMS_LOG_FORMAT="none")
    assert logging.getLogger().handlers == before
    with pytest.raises(ValueError, match="LMS_LOG_FORMAT"):
        another_app(LMS_LOG_FORMAT="xml")


# --- metrics --------------------------------------------------------------------------------

def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_requests_by_endpoint_and_status(client, app):
    labels = {"endpoint": "lms.accounts.login", "method": "GET", "status": "200"}
    missing = {"endpoint": "<unmatched>", "method": "GET", "status": "404"}
    before = sample("lms_http_requests_total", **labels), sample("lms_http_request_duration_seconds_count", **labels)
    before_missing = sample("lms_http_requests_total", **missing)
    client.get("/sign-in")
    client.get("/sign-in")
    client.get("/no-such-page")
    assert sample("lms_http_requests_total", **labels) == before[0] + 2
    assert sample("lms_http_request_duration_seconds_count", **labels) == before[1] + 2
    assert sample("lms_http_requests_total", **missing) == before_missing + 1

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    text = response.get_data(as_text=True)
    count = sample("lms_http_requests_total", **labels)
    assert f'lms_http_requests_total{{endpoint="lms.accounts.login",method="GET",status="200"}} {count}' in text
    assert 'lms_http_request_duration_seconds_bucket{endpoint="lms.accounts.login",le="0.1",method="GET",status="200"}' in text
    # Only the scrape itself is in flight: every other request was counted out again.
    assert "lms_http_requests_in_progress 1.0" in text


def test_metrics_show_queue_depth_and_failures(client, ctx):
    db.session.add_all([
        Delivery(channel="xapi", key="a", payload={}),
        Delivery(channel="xapi", key="b", payload={}, attempts=2, last_error="HTTPError: 503"),
        Delivery(channel="xapi", key="c", payload={}, attempts=1, sent_at=db.utcnow()),
    ])
    db.session.add_all(Job(kind="certificates.print", state=state) for state in ("queued", "running", "done", "failed"))
    db.session.commit()
    assert queue_counts() == {"outbox": {"pending": 2, "failed": 1}, "jobs": {"pending": 2, "failed": 1}}
    text = client.get("/metrics").get_data(as_text=True)
    assert 'lms_queue_jobs{queue="outbox",state="pending"} 2.0' in text
    assert 'lms_queue_jobs{queue="outbox",state="failed"} 1.0' in text
    assert 'lms_queue_jobs{queue="jobs",state="pending"} 2.0' in text
    assert 'lms_queue_jobs{queue="jobs",state="failed"} 1.0' in text


def test_odd_methods_do_not_grow_the_labels(client):
    before = sample("lms_http_requests_total", endpoint="<unmatched>", method="other", status="405")
    client.open("/sign-in", method="BREW")
    client.open("/sign-in", method="WHEN")
    assert sample("lms_http_requests_total", endpoint="<unmatched>", method="other", status="405") == before + 2


def test_metrics_answer_while_the_database_is_down(another_app):
    down = another_app(f"postgresql+psycopg://postgres@127.0.0.1:{DEAD_PORT}/nothing")
    response = down.test_client().get("/metrics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "lms_http_requests_total" in text and 'lms_queue_jobs{queue="outbox"' not in text


def test_metrics_open_to_this_machine_only_without_token(client):
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    # A proxy on this machine relays outside requests: not direct, so refused.
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403


def test_metrics_token(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"},
                         environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert allowed.status_code == 200
    assert b"lms_http_requests_total" in allowed.data


# --- gunicorn hooks -------------------------------------------------------------------------

def gunicorn_config(monkeypatch, tmp_path):
    """The settings file as gunicorn runs it, with its metrics folder set to a test folder."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_worker_exit_stops_the_pdf_pool(monkeypatch, tmp_path):
    config = gunicorn_config(monkeypatch, tmp_path)
    pool = pdf._executor(1)
    child = pool.submit(os.getpid).result(timeout=60)
    process = next(p for p in pool._processes.values() if p.pid == child)
    config["worker_exit"](None, None)
    process.join(timeout=30)  # shutdown waited for it already; this only bounds the test
    assert not process.is_alive()
    assert pdf._pool is None


def test_settings_ask_for_graceful_shutdown_without_control_socket(monkeypatch, tmp_path):
    config = gunicorn_config(monkeypatch, tmp_path)
    assert config["wsgi_app"] == "wsgi:app"
    assert config["graceful_timeout"] >= 10
    assert config["control_socket_disable"] is True
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)  # set, so the config made none
