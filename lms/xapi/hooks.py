"""What becomes a statement: consequences of the plugin's events (lms/events.py), written to
the outbox in the event's own transaction and sent after it commits (or by the sweep), so no
request waits for the LRS and no statement is lost to a crash in between."""

from flask import current_app
from sqlalchemy import select

from .. import db
from ..learning.models import LessonRead, ModuleCompletion
from . import records
from .delivery import enabled, queue


def _guarded(listener):
    """Statements are a report of what happened: a failure to build them must not fail the
    person's action, so they are queued in a savepoint of its transaction, and a failure only
    rolls that back (``flask lms xapi resend`` can fill the gap)."""
    def run(catalog, **event):
        if not enabled():
            return
        try:
            with db.session.begin_nested():
                queue(listener(catalog, **event))
        except Exception:
            current_app.logger.exception("xAPI statements for %s were not queued", listener.__name__)
    return run


def _lesson(catalog, user_id, lesson_id):
    read = db.session.scalar(select(LessonRead).where(LessonRead.user_id == user_id, LessonRead.lesson_id == lesson_id))
    return records.lesson_read(catalog, read)


def _quiz(catalog, attempt, grading):
    return records.attempt(catalog, attempt)


def _module(catalog, user_id, module_id):
    completion = db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.user_id == user_id,
                                                                  ModuleCompletion.module_id == module_id))
    return records.module_completion(catalog, completion)


def _run(catalog, run):
    return records.run(catalog, run)


def _review(catalog, review):
    return records.review(catalog, review)


def _issued(catalog, certificate):
    return records.certificate_issued(catalog, certificate)


def _revoked(catalog, certificate):
    return records.certificate_revoked(catalog, certificate)


def _restored(catalog, certificate):
    return records.certificate_restored(catalog, certificate)


CONSEQUENCES = {event: (_guarded(listener),) for event, listener in (
    ("lesson_completed", _lesson), ("quiz_submitted", _quiz), ("module_completed", _module),
    ("roleplay_finished", _run), ("reply_reviewed", _review), ("certificate_issued", _issued),
    ("certificate_revoked", _revoked), ("certificate_restored", _restored))}
