"""Daily digests as a job, for sites whose Celery beat schedules them (LMS_DIGEST_HOUR)
instead of cron running ``flask lms send-digests``. Sending twice is harmless: each
person's day is claimed in the database before their e-mail goes."""

from datetime import date

from ..content import current_catalog
from ..db import utcnow
from ..i18n import lazy_gettext as _l
from ..jobs import kind
from .digests import send_digests


@kind("coaching.digests", label=_l("Daily digests"))
def digests_job(work):
    day = date.fromisoformat(work.args["day"]) if work.args.get("day") else utcnow().date()
    report = send_digests(current_catalog(), day)
    if report.failed:  # tried again later; those already sent are not sent twice
        raise RuntimeError(f"{len(report.failed)} digest(s) failed, e.g. {report.failed[0][0]}: {report.failed[0][1]}")
