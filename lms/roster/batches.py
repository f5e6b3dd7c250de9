"""Uploaded exports between their preview and their import (ImportBatch rows): stored, planned
again against the people as they are now, and applied exactly once."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from .. import db
from ..accounts.models import ImportBatch, Site
from ..audit.models import AuditEvent
from ..db import utcnow
from .applying import Outcome, apply_plan
from .planning import plan_import
from .reading import read_roster


def store_batch(uploader, filename, content, site_id, full_roster, now=None):
    """Keep an upload (already read once, so it is a roster) and return it; the caller commits.
    An HR export is personal data: uploads older than LMS_IMPORT_KEEP_DAYS go as a new one comes
    (what an import did stays in the audit trail)."""
    now = now or utcnow()
    keep = timedelta(days=current_app.config["LMS_IMPORT_KEEP_DAYS"])
    db.session.execute(delete(ImportBatch).where(ImportBatch.created_at < now - keep))
    batch = ImportBatch(created_at=now, token=secrets.token_urlsafe(32), uploaded_by_id=uploader.id, site_id=site_id,
                        filename=filename[-200:], content=content, full_roster=full_roster)
    db.session.add(batch)
    return batch


def find_batch(token):
    return db.session.scalar(select(ImportBatch).where(ImportBatch.token == token))


def plan_batch(batch, actor):
    """The batch's plan by ``actor``, against the people as they are now."""
    site = db.session.get(Site, batch.site_id) if batch.site_id is not None else None
    return plan_import(read_roster(batch.filename, batch.content), actor, full_roster=batch.full_roster,
                       default_site=site.name if site else None)


def _target(batch):
    return f"import:batch-{batch.id}"


@dataclass(frozen=True)
class Confirmed:
    plan: object | None  # None: the batch had been applied already (a second click)
    outcome: Outcome | None  # None: nothing written


def apply_batch(batch, actor, only_good_rows=False):
    """Apply ``batch`` once: the first request to mark it applied does the work, in the same
    transaction; any other (a double click, a second tab) writes nothing."""
    claimed = db.session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.applied_at.is_(None))
        .values(applied_at=utcnow()), execution_options={"synchronize_session": False}).rowcount
    if claimed != 1:
        db.session.rollback()
        return Confirmed(None, None)
    plan = plan_batch(batch, actor)
    if plan.errors and not only_good_rows:
        db.session.rollback()
        return Confirmed(plan, None)
    outcome = apply_plan(plan, actor, batch.filename, _target(batch), only_good_rows=only_good_rows)
    db.session.commit()
    return Confirmed(plan, outcome)


def batch_outcome(batch):
    """What an applied batch did, from its audit record; None when it changed nothing."""
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "people.imported",
                                                       AuditEvent.target == _target(batch)))
    return event.after if event is not None else None
