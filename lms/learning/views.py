"""Learner pages: the onboarding path, modules, lessons and the quiz player. Views only
read the request and render; the rules live in progress.py, attempts.py and grading.py."""

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..accounts.identity import require_user
from ..coaching.assigning import is_assigned
from ..coaching.todo import todo_for
from ..content import current_catalog
from ..db import utcnow
from ..i18n import _
from ..signals import lesson_completed
from . import attempts as attempt_service
from .grading import InvalidSubmission, read_responses
from .models import OPEN, LessonRead, QuizAttempt
from .presenters import module_titles
from .progress import LOCKED, learner_state, module_progress, next_step, path_progress


def _open_module(user, module_id):
    """The module, its progress and the learner's state, or a 404 / 403 that says what is missing."""
    module = current_catalog().modules.get(module_id)
    if module is None:
        abort(404, _("There is no such module."))
    state = learner_state(user.id)
    progress = module_progress(module, state)
    # A coach's assignment opens a module before its prerequisites are done.
    if progress.state == LOCKED and not is_assigned(user.id, module):
        abort(403, _("Complete these modules first: %(modules)s", modules=module_titles(progress.missing)))
    return module, progress, state


def _lesson_in(module, lesson_id):
    """The lesson, its position (from 1) and the lesson after it, or a 404."""
    ordered = list(module.lessons)
    index = next((i for i, lesson in enumerate(ordered) if lesson.id == lesson_id), None)
    if index is None:
        abort(404, _("There is no such lesson in this module."))
    return ordered[index], index + 1, ordered[index + 1] if index + 1 < len(ordered) else None


@require_user
def path(user):
    catalog = current_catalog()
    progress = path_progress(catalog, learner_state(user.id))
    today = utcnow().date()
    return render_template("lms/learning/path.html", catalog=catalog, progress=progress,
                           next_step=next_step(progress), learner=user, today=today,
                           todos=todo_for(catalog, user, today, progress) if user.role == "agent" else [])


@require_user
def module(user, module_id):
    module, progress, state = _open_module(user, module_id)
    refreshers = [q for q in current_catalog().quizzes.values() if q.kind == "refresher" and q.topic == module.topic]
    return render_template("lms/learning/module.html", module=module, progress=progress, read=state.read,
                           quiz=current_catalog().quizzes[module.quiz_id], refreshers=refreshers)


@require_user
def lesson(user, module_id, lesson_id):
    module, _progress, state = _open_module(user, module_id)
    lesson, position, following = _lesson_in(module, lesson_id)
    return render_template("lms/learning/lesson.html", module=module, lesson=lesson, following=following,
                           is_read=lesson.id in state.read, position=position)


@require_user
def mark_read(user, module_id, lesson_id):
    module, _progress, _state = _open_module(user, module_id)
    lesson, _position, following = _lesson_in(module, lesson_id)
    db.session.add(LessonRead(user_id=user.id, lesson_id=lesson.id, lesson_version=lesson.version))
    try:
        db.session.commit()
        lesson_completed.send(current_app._get_current_object(), user_id=user.id, lesson_id=lesson.id)
    except IntegrityError:
        db.session.rollback()  # already read: nothing to add
    if following is not None:
        return redirect(url_for("lms.learning.lesson", module_id=module.id, lesson_id=following.id))
    return redirect(url_for("lms.learning.module", module_id=module.id))


def _quiz_for(user, quiz_id):
    quiz = current_catalog().quizzes.get(quiz_id)
    if quiz is None:
        abort(404, _("There is no such quiz."))
    if quiz.module_id:
        _open_module(user, quiz.module_id)
    return quiz


@require_user
def quiz_intro(user, quiz_id):
    quiz = _quiz_for(user, quiz_id)
    history = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id, QuizAttempt.quiz_id == quiz.id)
        .order_by(QuizAttempt.started_at.desc())
    ).all()
    return render_template("lms/learning/quiz_intro.html", quiz=quiz, history=history,
                           module=current_catalog().modules.get(quiz.module_id),
                           open_attempt=next((a for a in history if a.status == OPEN), None))


@require_user
def start_quiz(user, quiz_id):
    quiz = _quiz_for(user, quiz_id)
    attempt = attempt_service.start_or_resume(user.id, quiz)
    return redirect(url_for("lms.learning.attempt", quiz_id=quiz.id, attempt_id=attempt.id), 303)


@require_user
def attempt(user, quiz_id, attempt_id):
    """The quiz player while the attempt is open; its result once it is closed."""
    quiz = _quiz_for(user, quiz_id)
    try:
        attempt = attempt_service.get_attempt(user.id, quiz.id, attempt_id)
    except attempt_service.AttemptNotFound:
        abort(404, _("There is no such attempt."))
    attempt_service.expire_if_overdue(attempt)
    if attempt.status == OPEN:
        return render_template("lms/learning/quiz.html", quiz=quiz, attempt=attempt)
    answers = {answer.item_id: answer for answer in attempt.answers}
    return render_template("lms/learning/result.html", quiz=quiz, attempt=attempt, answers=answers,
                           same_version=attempt.quiz_version == quiz.version)


@require_user
def submit_quiz(user, quiz_id, attempt_id):
    quiz = _quiz_for(user, quiz_id)
    try:
        responses = read_responses(quiz, request.form)
        outcome = attempt_service.submit(user.id, quiz, attempt_id, responses)
    except attempt_service.AttemptNotFound:
        abort(404, _("There is no such attempt."))
    except InvalidSubmission:
        abort(400, _("This answer sheet does not match the quiz. Nothing was saved; reload the quiz and try again."))
    if outcome.state in ("stale", "expired"):
        message = (_("This attempt was already submitted with other answers, so these were not saved.")
                   if outcome.state == "stale" else
                   _("Time ran out: the attempt closed at its deadline and these answers were not counted."))
        return render_template("lms/error.html", message=message, title=_("Attempt closed"),
                               link=url_for("lms.learning.attempt", quiz_id=quiz.id, attempt_id=attempt_id),
                               link_text=_("See this attempt")), 409
    return redirect(url_for("lms.learning.attempt", quiz_id=quiz.id, attempt_id=outcome.attempt.id), 303)
