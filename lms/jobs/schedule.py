"""Jobs the schedule starts (nightly refold, daily digests): one per kind and day, whichever
scheduler (beat, cron, several beats by mistake) asks."""

from .. import db
from ..db import utcnow
from .queue import enqueue


def enqueue_scheduled(kind_name, day=None):
    day = day or utcnow().date()
    job = enqueue(kind_name, {"day": day.isoformat()}, key=f"{kind_name}:{day.isoformat()}")
    db.session.commit()
    return job
