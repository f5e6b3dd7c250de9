"""Item statistics as a background job: the job reads every graded answer once (queries.read_sums)
and stores the sums; the admin page shows the latest, with when it was taken. The job runs
nightly (Celery beat at LMS_ITEM_STATS_HOUR, or ``flask lms item-stats --save`` from cron) and
when an admin asks for fresh figures."""

from flask import url_for
from sqlalchemy import delete, select

from .. import db
from ..db import utcnow
from ..i18n import lazy_gettext as _l
from ..jobs import enqueue, kind
from ..jobs.models import Job
from .models import ItemSnapshot
from .queries import read_sums

KIND = "items.analyse"


def take(session):
    """Store the sums as they are now, in place of older ones (idempotent: a job run twice
    leaves the later figures)."""
    snapshot = ItemSnapshot(taken_at=utcnow(), sums=read_sums(session))
    session.add(snapshot)
    session.flush()
    session.execute(delete(ItemSnapshot).where(ItemSnapshot.id != snapshot.id))
    return snapshot


def latest(session):
    return session.scalar(select(ItemSnapshot).order_by(ItemSnapshot.taken_at.desc(), ItemSnapshot.id.desc()).limit(1))


def ask_for_fresh(user_id):
    """The job that computes the figures again: one already waiting or running (a second click),
    else a new one."""
    pending = db.session.scalar(select(Job).where(Job.kind == KIND, Job.state.in_(("queued", "running"))).limit(1))
    return pending or enqueue(KIND, user_id=user_id)


@kind(KIND, label=_l("Item statistics"), result=lambda job: url_for("lms.item_analysis.items"))
def snapshot_job(work):
    take(db.session)
