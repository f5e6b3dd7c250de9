"""Helpers for the jobs' tests: many certificates at once, and a job's row."""

import secrets

from sqlalchemy import insert

from lms import db
from lms.credentials.models import Certificate
from lms.jobs.models import Job

from .test_certificate_lifecycle import BASICS, ISSUED


def many_certificates(app, user_id, n):
    """``n`` valid certificates of one person (one per made-up module), inserted at once."""
    with app.app_context():
        db.session.execute(insert(Certificate), [
            {"code": secrets.token_urlsafe(18), "user_id": user_id, "kind": "module", "subject_id": f"m{i:04d}",
             "recipient_name": "Sara", "title": BASICS, "issued_at": ISSUED} for i in range(n)])
        db.session.commit()


def job_row(app, job_id):
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job
