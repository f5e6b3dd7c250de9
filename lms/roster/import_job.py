"""Large imports run in the background: confirming one hands its batch to a job, whose page
shows the progress and then links to the batch's page, which shows what the import did."""

from flask import current_app, url_for

from .. import db
from ..accounts.models import ImportBatch, User
from ..i18n import lazy_gettext as _l
from ..jobs import enqueue, kind
from .batches import apply_batch


def is_large(plan):
    """Whether applying ``plan`` writes more people than LMS_IMPORT_JOB_THRESHOLD."""
    writes = len(plan.creates) + len(plan.changes) + len(plan.leavers)
    return writes > int(current_app.config["LMS_IMPORT_JOB_THRESHOLD"])


def start_import(batch, actor, only_good_rows):
    """The job applying ``batch``: confirming it twice (a double click) is the same job."""
    return enqueue("roster.apply", {"batch_id": batch.id, "token": batch.token, "actor_id": actor.id,
                                    "only_good_rows": bool(only_good_rows)},
                   key=f"roster.apply:{batch.id}", user_id=actor.id)


def _batch_page(job):
    return url_for("lms.roster.preview", token=job.args["token"])


@kind("roster.apply", label=_l("People import"), result=_batch_page)
def import_job(work):
    """Safe to run again: a batch is applied once, so a retry after a crash that came past the
    import's commit writes nothing more."""
    batch = db.session.get(ImportBatch, work.args["batch_id"])
    if batch is None:  # uploads are deleted after LMS_IMPORT_KEEP_DAYS: nothing left to do
        return
    # Rows that turned bad since the confirm (people changed meanwhile) leave the batch
    # unapplied, and its page shows them, as a confirm in the request would.
    apply_batch(batch, db.session.get(User, work.args["actor_id"]), only_good_rows=work.args["only_good_rows"])
