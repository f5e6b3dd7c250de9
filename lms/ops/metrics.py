"""Prometheus metrics: requests and latencies by endpoint and status, requests in flight, and
the depth and failures of the work queues.

With ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py sets it), every worker writes its
counts to files there and a scrape of any worker adds them all up; the queue depths are read
from the database at scrape time, so they are the site's, counted once."""

import hmac
import ipaddress
import os
from time import perf_counter

from flask import current_app, g, request
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily

from .. import db

REQUESTS = Counter("lms_http_requests_total", "HTTP requests answered.", ["endpoint", "method", "status"])
LATENCY = Histogram("lms_http_request_duration_seconds", "Time to answer an HTTP request.",
                    ["endpoint", "method", "status"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30))
IN_FLIGHT = Gauge("lms_http_requests_in_progress", "HTTP requests being answered now.",
                  multiprocess_mode="livesum")

#: Methods counted by name; any other a client sends is "other", so nobody can grow the label set.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

#: queue name -> function() returning counts by state, e.g. {"pending": 3, "failed": 1}.
QUEUES = {}


def register_queue(name, counts):
    """Add a queue to the metrics (the jobs package adds "jobs", the outbox "outbox")."""
    QUEUES[name] = counts
    return counts


def queue_counts():
    """Every queue's counts by state: ``{"outbox": {"pending": 3, "failed": 1}, ...}``."""
    return {name: counts() for name, counts in QUEUES.items()}


def start_request():
    IN_FLIGHT.inc()
    g.lms_in_flight = True


def end_request(_error=None):
    if g.pop("lms_in_flight", False):
        IN_FLIGHT.dec()


def count_response(response):
    started = g.get("lms_request_started")
    if started is not None:
        method = request.method if request.method in METHODS else "other"
        labels = (request.endpoint or "<unmatched>", method, str(response.status_code))
        REQUESTS.labels(*labels).inc()
        LATENCY.labels(*labels).observe(perf_counter() - started)
    return response


def _readable_queue_counts():
    """queue_counts(), leaving out a queue that cannot be counted now (its database is down):
    the request metrics are still worth scraping, and /health says what is wrong."""
    counts = {}
    for name, function in QUEUES.items():
        try:
            counts[name] = function()
        except Exception as error:  # noqa: BLE001 - any failure of the store counted
            current_app.logger.warning("Queue %s could not be counted for /metrics: %s", name, error)
            db.session.rollback()
    return counts


class _QueueCollector:
    """The queues' depths at scrape time, as gauges: a property of the database, not of any
    one worker, so they stay out of the multiprocess files."""

    def __init__(self, counts):
        self.counts = counts

    def collect(self):
        family = GaugeMetricFamily("lms_queue_jobs", "Work waiting in a queue, by state (pending, failed).",
                                   labels=["queue", "state"])
        for queue, states in self.counts.items():
            for state, value in states.items():
                family.add_metric([queue, state], value)
        yield family


def exposition():
    """The metrics text: this process's (or, in multiprocess mode, every worker's) counters,
    then the queue gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    queues = CollectorRegistry()
    queues.register(_QueueCollector(_readable_queue_counts()))
    return generate_latest(registry) + generate_latest(queues), CONTENT_TYPE_LATEST


def allowed():
    """With ``LMS_METRICS_TOKEN`` set, only ``Authorization: Bearer <token>``; without, only
    a direct connection from this machine. A request relayed by a proxy (it carries
    X-Forwarded-For) is not direct, even when the proxy itself runs on this machine."""
    token = current_app.config["LMS_METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False
