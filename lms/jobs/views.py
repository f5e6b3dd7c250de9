"""A job's progress page (its JSON, polled by job.js) and download; the admins' list of
failed and running jobs with a "try again" button."""

from flask import abort, flash, jsonify, redirect, render_template, send_from_directory, url_for
from sqlalchemy import select

from .. import db
from ..accounts.identity import require_user
from ..accounts.permissions import is_admin
from ..i18n import _
from ..i18n import lazy_gettext as _l
from . import queue
from .models import Job

ADMIN_LIST = 200
STATE_NAMES = {"queued": _l("Waiting"), "running": _l("Running"), "done": _l("Done"), "failed": _l("Failed")}


def template_helpers():
    return {"job_label": lambda kind: str(queue.LABELS.get(kind, kind)),
            "job_state": lambda state: str(STATE_NAMES.get(state, state))}


def _own_job(user, job_id):
    """A job is seen by whoever asked for it, and by admins."""
    job = db.session.get(Job, job_id)
    if job is None or not (job.user_id == user.id or is_admin(user)):
        abort(404, _("There is no such job among yours."))
    return job


def status_of(job):
    return {"id": job.id, "state": job.state, "progress": job.progress, "total": job.total,
            "attempts": job.attempts, "error": job.last_error if job.state == "failed" else None,
            "download": url_for("lms.jobs.download", job_id=job.id) if job.state == "done" and job.result_file
            else None,
            "result": queue.RESULTS[job.kind](job) if job.state == "done" and job.kind in queue.RESULTS else None}


@require_user
def show(user, job_id):
    job = _own_job(user, job_id)
    return render_template("lms/jobs/show.html", job=job, status=status_of(job))


@require_user
def status(user, job_id):
    return jsonify(status_of(_own_job(user, job_id)))


@require_user
def download(user, job_id):
    job = _own_job(user, job_id)
    if job.state != "done" or not job.result_file:
        abort(404, _("This job has no file yet."))
    return send_from_directory(queue.job_folder(job.id), job.result_file, as_attachment=True)


def _require_admin(user):
    if not is_admin(user):
        abort(403, _("Background jobs are for admins."))


@require_user
def admin(user):
    _require_admin(user)
    jobs = db.session.scalars(select(Job).where(Job.state.in_(("failed", "running", "queued")))
                              .order_by(Job.state, Job.id.desc()).limit(ADMIN_LIST)).all()
    return render_template("lms/jobs/admin.html", jobs=jobs, counts=queue.counts())


@require_user
def retry(user, job_id):
    _require_admin(user)
    job = db.session.get(Job, job_id)
    if job is None:
        abort(404, _("There is no such job."))
    if job.state != "failed":
        abort(409, _("Only a failed job can be tried again."))
    queue.retry(job)
    db.session.commit()
    flash(_("The job is queued again."), "info")
    return redirect(url_for("lms.jobs.admin"), 303)
