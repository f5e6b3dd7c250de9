"""The statements of what the database holds: each event's rows (a lesson read, a graded
attempt, a finished run, a review, a certificate) turned into its statements, the same way
when it happens and when ``flask lms xapi resend`` rebuilds a period."""

from flask import current_app
from sqlalchemy import select

from .. import db
from ..audit.models import AuditEvent
from ..credentials.models import Certificate
from ..credentials.urls import public_url
from ..learning.grading import decode_response
from ..learning.models import SUBMITTED, LessonRead, ModuleCompletion, QuizAttempt
from ..roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from . import statements as build
from .models import actor_name


def site():
    """The site as statements name it: LMS_BASE_URL, never the Host a request came with."""
    return build.Site(current_app.config["LMS_BASE_URL"])


def lesson_read(catalog, read):
    lesson = catalog.lessons.get(read.lesson_id)
    if lesson is None:  # removed from the content since
        return []
    return [build.lesson_experienced(site(), actor_name(read.user_id), lesson, catalog.modules[lesson.module_id],
                                     read.read_at)]


def module_completion(catalog, completion):
    module = catalog.modules.get(completion.module_id)
    if module is None:
        return []
    return [build.module_completed(site(), actor_name(completion.user_id), module, completion.completed_at)]


def attempt(catalog, attempt):
    """A graded attempt's statements; its items as the catalogue has them (skipping any item
    removed since)."""
    quiz = catalog.quizzes.get(attempt.quiz_id)
    if quiz is None or attempt.status != SUBMITTED:
        return []
    answered = [(catalog.items[a.item_id], decode_response(catalog.items[a.item_id], a.response), a.value, a.points)
                for a in attempt.answers if a.item_id in catalog.items]
    return build.quiz_statements(site(), actor_name(attempt.user_id), quiz, attempt, answered)


def run(catalog, run):
    """A run that reached an ending (a run closed because its scenario changed has none)."""
    roleplay = catalog.roleplays.get(run.roleplay_id)
    if roleplay is None or run.outcome is None or not all(_still_there(roleplay, step) for step in run.steps):
        return []
    return build.roleplay_statements(site(), actor_name(run.user_id), roleplay, run, run.steps)


def _still_there(roleplay, step):
    """Whether a step's moment and reply are still in the scenario (it may have been edited)."""
    node = roleplay.nodes.get(step.node_id)
    return node is not None and (step.choice_id is None or node.choice(step.choice_id) is not None)


def review(catalog, review):
    step = db.session.get(RoleplayStep, review.step_id)
    reviewed_run = db.session.get(RoleplayRun, step.run_id)
    roleplay = catalog.roleplays.get(reviewed_run.roleplay_id)
    if roleplay is None or step.node_id not in roleplay.nodes:
        return []
    return [build.reply_scored(site(), actor_name(reviewed_run.user_id), actor_name(review.coach_id), roleplay,
                               reviewed_run, step, review)]


def _verify_url(certificate):
    return public_url("lms.credentials.verify", code=certificate.code)


def certificate_issued(catalog, certificate):
    return [build.certificate_earned(site(), actor_name(certificate.user_id), certificate, _verify_url(certificate))]


def certificate_revoked(catalog, certificate):
    return [build.certificate_changed(site(), actor_name(certificate.user_id), certificate, _verify_url(certificate),
                                      "revoked", certificate.revoked_at)]


def certificate_restored(catalog, certificate):
    return [build.certificate_changed(site(), actor_name(certificate.user_id), certificate, _verify_url(certificate),
                                      "restored", certificate.restored_at)]


def certificate_change(catalog, event):
    """A revocation or restoration as the audit trail keeps it: every one of them, even a
    revocation since undone (the certificate row keeps only the last)."""
    certificate = db.session.scalar(select(Certificate).where(
        Certificate.code == event.target.removeprefix("certificate:")))
    if certificate is None:
        return []
    return [build.certificate_changed(site(), actor_name(certificate.user_id), certificate,
                                      _verify_url(certificate), event.kind.removeprefix("certificate."), event.at)]


#: What a resend rebuilds: (the event's rows, their time column, any other condition, its statements).
EVENTS = (
    (LessonRead, "read_at", (), lesson_read),
    (QuizAttempt, "closed_at", (QuizAttempt.status == SUBMITTED,), attempt),
    (ModuleCompletion, "completed_at", (), module_completion),
    (RoleplayRun, "finished_at", (RoleplayRun.outcome.is_not(None),), run),
    (ReplyReview, "reviewed_at", (), review),
    (Certificate, "issued_at", (), certificate_issued),
    (AuditEvent, "at", (AuditEvent.kind.in_(("certificate.revoked", "certificate.restored")),), certificate_change),
)


def in_period(catalog, since, until, batch=500):
    """The statements of every event from ``since`` to ``until`` (naive UTC, until excluded),
    a list per ``batch`` rows, so a long period never sits in memory whole."""
    for model, column_name, where, statements_of in EVENTS:
        column = getattr(model, column_name)
        last_id = 0
        while True:  # by id, so each batch is a fresh short query
            rows = db.session.scalars(select(model).where(column >= since, column < until, model.id > last_id, *where)
                                      .order_by(model.id).limit(batch)).all()
            if not rows:
                break
            last_id = rows[-1].id
            yield [made for row in rows for made in statements_of(catalog, row)]
