"""Settings of the plugin. Every key is prefixed ``LMS_`` and set with ``setdefault``,
so a host application's own values always win."""

from pathlib import Path

#: The folder holding modules/, quizzes/ and certificates/ of the shipped content.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    # Where content files live; a site points this at its own copy.
    "LMS_CONTENT_ROOT": str(PROJECT_ROOT),
    # Certificate template folder (certificate.html, .css, logo); None: LMS_CONTENT_ROOT/certificates.
    "LMS_CERTIFICATES_ROOT": None,
    # URL prefix used when init_app() is not given one.
    "LMS_URL_PREFIX": "",
    # Template that every plugin page extends; a host may pass its own layout.
    "LMS_BASE_TEMPLATE": "lms/base.html",
    # Languages offered in the switcher; the first is the fallback for content.
    "LMS_LANGUAGES": ("en", "fa"),
    "LMS_DEFAULT_LOCALE": "en",
    # A callable returning the host's signed-in user (see README, "Mounting"); None means
    # the plugin signs users in itself.
    "LMS_CURRENT_USER": None,
    # Sign-in throttling: this many failures within the window block further tries, per
    # account and, sized for a whole office behind one NAT, per address.
    "LMS_LOGIN_MAX_FAILURES": 5,
    "LMS_LOGIN_MAX_FAILURES_PER_ADDRESS": 100,
    # Where those counters live: None, the database; or a Redis URL (needs the redis package).
    "LMS_LOGIN_THROTTLE_REDIS_URL": None,
    "LMS_LOGIN_WINDOW_SECONDS": 15 * 60,
    # Seconds a quiz post is still accepted after its time limit (network, slow clicks).
    "LMS_QUIZ_GRACE_SECONDS": 30,
    # "auto" marks cookies Secure whenever the request came over HTTPS.
    "LMS_COOKIE_SECURE": "auto",
    # Processes laying out a large certificate print in parallel; 0: one per core (at most
    # four), 1: none (everything in the request's own process).
    "LMS_PDF_PROCESSES": 0,
    # Days before a certificate's end date that its holder and their coaches are reminded
    # and the renewal refresher is assigned (flask lms certificate-reminders).
    "LMS_CERTIFICATE_REMIND_DAYS": 30,
    # Days an uploaded HR export (personal data) is kept for its preview and result page.
    "LMS_IMPORT_KEEP_DAYS": 7,
    # Coaching: days a one-click assignment from a gap report gives the agent.
    "LMS_ASSIGNMENT_DAYS": 7,
    # Daily digests (flask lms send-digests) go out only when LMS_SMTP_HOST is set.
    "LMS_SMTP_HOST": None,
    "LMS_SMTP_PORT": 25,
    "LMS_SMTP_SECURITY": "none",  # none | starttls | ssl
    "LMS_SMTP_USERNAME": None,
    "LMS_SMTP_PASSWORD": None,
    "LMS_MAIL_FROM": "CX Academy <cx-academy@localhost>",
    # Deliveries to other systems (LRS, LMS gradebooks) are written to an outbox and sent by
    # "thread": a short thread right after the request commits, or "none": only by the sweep,
    # `flask lms deliver`, run every minute from cron. The sweep also retries failures.
    "LMS_DELIVERY_WORKER": "thread",
    # The site's address, for links in e-mails (commands run outside any request), in signed
    # badges (their issuer, keys and status lists) and at the root of every xAPI IRI (actor
    # home page, activity ids, extension keys).
    "LMS_BASE_URL": "http://127.0.0.1:5000",
    # The issuer named in every Open Badge: the organisation that stands behind them.
    "LMS_BADGE_ISSUER_NAME": "CX Academy",
    # xAPI: the LRS's statements endpoint root (".../xAPI"); None: no statements are made.
    "LMS_XAPI_ENDPOINT": None,
    # Its Basic-auth credentials.
    "LMS_XAPI_USERNAME": None,
    "LMS_XAPI_PASSWORD": None,
    # Seconds one PUT to the LRS may take before it counts as failed (and is retried later).
    "LMS_XAPI_TIMEOUT": 10,
    # Operations (lms/ops): /health, /health/live and /metrics, request ids and logs.
    "LMS_OPS_URL_PREFIX": "",  # where those endpoints are mounted; "" is the site's root
    "LMS_HEALTH_TIMEOUT": 2,  # seconds one readiness check may take before it counts as down
    "LMS_METRICS_TOKEN": None,  # /metrics wants "Authorization: Bearer <token>"; None: this machine only
    "LMS_TRUST_REQUEST_ID": False,  # take X-Request-ID from the client (a proxy that sets it)
    "LMS_LOG_FORMAT": "text",  # text | json: one handler on the root logger; none: the host's logging
    "LMS_LOG_LEVEL": "INFO",  # of the plugin's loggers (lms.*), request lines included
    # Input hardening (issue 15): the largest request body a plugin page reads (413 above it);
    # the standalone app uses it as MAX_CONTENT_LENGTH.
    "LMS_MAX_REQUEST_BYTES": 8 * 1024 * 1024,
    # The standalone app behind this many proxies (a load balancer: 1) takes the client's
    # address and scheme from their X-Forwarded-For/-Proto; 0 trusts no such header.
    "LMS_PROXY_HOPS": 0,
    # Background jobs (lms/jobs): with LMS_CELERY_BROKER_URL (redis://... or amqp://...) a Celery
    # worker runs them (`celery -A lms.jobs.worker worker -B`); without, a thread of the web
    # process does. LMS_JOBS_RUNNER: auto | celery | thread | eager (at once, in the request) | none.
    "LMS_CELERY_BROKER_URL": None,
    "LMS_CELERY_RESULT_BACKEND": None,
    "LMS_JOBS_RUNNER": "auto",
    "LMS_JOB_MAX_ATTEMPTS": 5,
    # Seconds a running job's worker holds it without reporting progress before the sweep
    # (beat every LMS_JOBS_SWEEP_SECONDS, or `flask lms jobs-sweep` from cron) gives it to another.
    "LMS_JOB_LEASE_SECONDS": 300,
    "LMS_JOBS_SWEEP_SECONDS": 60,
    # Certificate prints larger than this are made in the background, with a progress page.
    "LMS_PRINT_JOB_THRESHOLD": 50,
    # People imports writing more people than this are applied in the background, with a progress page.
    "LMS_IMPORT_JOB_THRESHOLD": 500,
    # Hours (UTC) at which Celery beat refolds the gap sums, sends the digests and computes the
    # item statistics; None: not scheduled by beat (cron runs `flask lms refold-gaps` /
    # `flask lms send-digests` / `flask lms item-stats --save` instead).
    "LMS_NIGHTLY_REFOLD_HOUR": 2,
    "LMS_DIGEST_HOUR": None,
    "LMS_ITEM_STATS_HOUR": 3,
}
