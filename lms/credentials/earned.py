"""Which certificates a passed quiz attempt earned, for its result page."""

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from .. import db
from ..learning.models import SUBMITTED, ModuleCompletion, QuizAttempt
from .issuing import active_certificate
from .models import MODULE, PATH, Certificate


def earned_by(catalog, attempt):
    """The certificates ``attempt`` earned: the one its holder now holds for the module this
    pass completed (at once, or when the last lesson was opened afterwards) and the path's when
    that was the path's last step; or the certificates this pass renewed."""
    if not attempt.passed:
        return []
    completion = db.session.scalar(select(ModuleCompletion).where(ModuleCompletion.attempt_id == attempt.id))
    if completion is None:
        return _renewed_by(catalog, attempt)
    earned = [active_certificate(attempt.user_id, MODULE, completion.module_id)]
    if _completed_the_path(catalog, completion):
        earned.append(active_certificate(attempt.user_id, PATH, catalog.path.id))
    return [c for c in earned if c is not None]


def _completed_the_path(catalog, completion):
    steps = {s.module_id for s in catalog.path.steps} if catalog.path else set()
    if completion.module_id not in steps:
        return False
    done = db.session.execute(select(ModuleCompletion.module_id, ModuleCompletion.completed_at).where(
        ModuleCompletion.user_id == completion.user_id, ModuleCompletion.module_id.in_(steps))).all()
    return len(done) == len(steps) and max(at for _module, at in done) == completion.completed_at


def _renewed_by(catalog, attempt):
    """Renewals issued after this pass and before the holder's next attempt at the quiz closed."""
    modules = [m.id for m in catalog.modules.values()
               if m.certificate is not None and attempt.quiz_id in (m.certificate.renew_with, m.quiz_id)]
    if not modules:
        return []
    following = db.session.scalar(select(QuizAttempt.closed_at).where(
        QuizAttempt.user_id == attempt.user_id, QuizAttempt.quiz_id == attempt.quiz_id,
        QuizAttempt.status == SUBMITTED, QuizAttempt.closed_at > attempt.closed_at)
        .order_by(QuizAttempt.closed_at).limit(1))
    predecessor = aliased(Certificate)
    query = select(Certificate).where(
        Certificate.user_id == attempt.user_id, Certificate.kind == MODULE, Certificate.subject_id.in_(modules),
        Certificate.issued_by.is_(None), Certificate.issued_at >= attempt.closed_at,
        exists().where(predecessor.renewed_by_id == Certificate.id))
    if following is not None:
        query = query.where(Certificate.issued_at < following)
    return db.session.scalars(query.order_by(Certificate.issued_at)).all()
