"""What an event causes, written in the transaction that records the event.

A quiz pass, a role-play's end, a review or a certificate are stored together with all they
cause (the module's completion, its certificate, the spaced re-quiz items, notifications,
statements and gradebook scores queued in the outbox): the features register their
*consequences* of each event (``Feature.consequences``), and ``happen()`` runs them in the
caller's transaction. A worker killed at any moment leaves either all of it or none of it.

Host applications still get the public blinker signals of ``lms.signals``, but only once the
transaction has committed (``commit()``), so a listener never sees what a rollback undid:

    events.happen("quiz_submitted", attempt=attempt, grading=grading)
    events.commit()
"""

from flask import current_app
from sqlalchemy import event

from . import db, signals

#: The events a feature may have consequences of, and the public signal each one sends after
#: its commit (with the same keyword arguments).
SIGNALS = {
    "lesson_completed": signals.lesson_completed,
    "quiz_submitted": signals.quiz_submitted,
    "module_completed": signals.module_completed,
    "roleplay_finished": signals.roleplay_finished,
    "reply_reviewed": signals.reply_reviewed,
    "certificate_issued": signals.certificate_issued,
    "certificate_revoked": signals.certificate_revoked,
    "certificate_restored": signals.certificate_restored,
}
_PENDING = "lms_signals_pending"
_REGISTRY = "lms_consequences"


def init_app(app, features):
    """Collect every feature's consequences for this app; forget unsent signals on rollback."""
    registry = {name: [] for name in SIGNALS}
    for feature in features:
        for name, handlers in feature.consequences.items():
            if name not in registry:
                raise ValueError(f"{feature.name}: no event called {name!r}")
            registry[name].extend(handlers)
    app.extensions[_REGISTRY] = registry
    session = app.extensions["sqlalchemy"].session
    if not event.contains(session, "after_soft_rollback", _after_rollback):
        event.listen(session, "after_soft_rollback", _after_rollback)


def happen(name, **payload):
    """Run every consequence of the event ``name`` in the current transaction (each gets the
    catalogue and ``payload``; one that raises fails the whole transaction, as it should: the
    learner's action is then not stored either, and can be tried again). The public signal
    waits for ``commit()``."""
    app = current_app._get_current_object()
    catalog = app.extensions["lms"].catalog
    for handler in app.extensions[_REGISTRY][name]:
        handler(catalog, **payload)
    db.session.info.setdefault(_PENDING, []).append((name, payload))


def commit():
    """Commit, then send the public signals of the events that happened in the transaction."""
    db.session.commit()
    pending = db.session.info.pop(_PENDING, [])
    app = current_app._get_current_object()
    for name, payload in pending:
        SIGNALS[name].send(app, **payload)


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_PENDING, None)
