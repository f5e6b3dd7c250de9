"""What becomes a statement: listeners on the plugin's signals. Each signal comes after its
event's own commit; the statements are written to the outbox in one more short transaction
and sent after it (or by the sweep), so no request waits for the LRS."""

from sqlalchemy import select

from .. import db
from ..learning.models import LessonRead, ModuleCompletion
from ..signals import (
    certificate_issued,
    certificate_restored,
    certificate_revoked,
    lesson_completed,
    module_completed,
    quiz_submitted,
    reply_reviewed,
    roleplay_finished,
)
from . import records
from .delivery import enabled, queue


def connect(app):
    for signal, listener in ((lesson_completed, _lesson), (quiz_submitted, _quiz), (module_completed, _module),
                             (roleplay_finished, _run), (reply_reviewed, _review),
                             (certificate_issued, _issued), (certificate_revoked, _revoked),
                             (certificate_restored, _restored)):
        signal.connect(_guarded(listener), sender=app, weak=False)


def _guarded(listener):
    """Statements are a report of what happened: a failure to write them must not fail the
    person's action, which is stored already (``flask lms xapi resend`` can fill the gap)."""
    def run(app, **event):
        if not enabled():
            return
        try:
            queue(listener(app.extensions["lms"].catalog, **event))
            db.session.commit()
        except Exception:
            db.session.rollback()
            app.logger.exception("xAPI statements for %s were not queued", listener.__name__)
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
