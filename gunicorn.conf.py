"""gunicorn settings for CX Academy: ``gunicorn -c gunicorn.conf.py`` (gunicorn also reads
this file by itself when started in this folder). Command-line options override it, e.g.
``gunicorn -c gunicorn.conf.py --bind 0.0.0.0:8000 --workers 8``.

What it adds to gunicorn's defaults:
- metrics that add up across workers: every worker writes its counters to files in
  PROMETHEUS_MULTIPROC_DIR (made here when not set), and a scrape of /metrics on any worker
  reads them all;
- the garbage collector set for serving requests: the loaded app frozen out of its sweeps, the
  youngest generation collected less often (post_worker_init);
- graceful shutdown: on SIGTERM each worker finishes the requests it has (up to
  graceful_timeout seconds), then closes its PDF renderer pool; the master forgets its gauges.
"""

import gc
import glob
import os
import shutil
import tempfile

wsgi_app = "wsgi:app"
bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
# Sync workers: each answers one request at a time, so a slow page holds one worker only.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))
# A request still running this long after SIGTERM is cut off (a large print is a job, not a request).
graceful_timeout = int(os.environ.get("LMS_GRACEFUL_TIMEOUT", 30))
timeout = int(os.environ.get("LMS_WORKER_TIMEOUT", 60))
# Our own request log (lms.requests) has the request id; gunicorn's access log would repeat it.
accesslog = None
# gunicorn 25+ opens a control socket in the home folder by default; the site needs none.
control_socket_disable = True

if os.environ.get("LMS_LOG_FORMAT", "").lower() == "json":
    # gunicorn's own lines (workers booting, signals, timeouts) as JSON objects too, like the
    # app's (lms.ops.request_log: not imported here, the master loads no app code).
    logconfig_dict = {
        "root": {"level": "WARNING", "handlers": []},  # each worker's app adds its own handler
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "formatters": {"json": {"()": "pythonjsonlogger.json.JsonFormatter",
                                "fmt": ["asctime", "levelname", "name", "message", "process"],
                                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}}},
    }

# Set before any worker imports prometheus_client: it picks its mode at import.
_made_metrics_dir = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _made_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="cx-academy-metrics-")


def on_starting(server):
    """Counters of a previous run must not add to this one's (prometheus_client's advice)."""
    for path in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        if os.path.basename(path).split("_")[0] in ("counter", "gauge", "histogram", "summary"):
            os.remove(path)


def post_worker_init(worker):
    """The app is loaded: what it holds (catalogue, mappers, compiled code) lives as long as the
    worker. Without gc.freeze() each collection of the oldest generation walks all of it, about
    250,000 objects, and stops the worker for ~250 ms mid-request (measured under bench/load.py;
    frozen: ~25 ms). Garbage collected first, so none of it is kept for good.

    The youngest generation is collected every 7,000 net allocations instead of Python's 700, so
    a request's objects mostly die by reference count before a collection finds them alive and
    promotes them: in a bench/load.py run collections took 0.75 -> 0.32 s per worker, and the
    oldest generation was no longer collected at all (7 times before)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, *gc.get_threshold()[1:])


def worker_exit(server, worker):
    """In the worker, after its last request: stop the PDF renderer processes it started."""
    from lms import pdf

    pdf.shutdown_pool()


def child_exit(server, worker):
    """In the master, for a worker gone (stopped, restarted, or killed): its live gauges (the
    requests it had in flight) no longer count; its counters stay in the totals."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_metrics_dir:
        shutil.rmtree(_made_metrics_dir, ignore_errors=True)
