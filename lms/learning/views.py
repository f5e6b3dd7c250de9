"""Learner pages: the onboarding path, modules, lessons and the quiz player. Views only
read the request and render; the rules live in progress.py, attempts.py and grading.py."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import db, events
from ..accounts.identity import require_user
from ..accounts.permissions import is_agent, is_leader
from ..catalog.items import MAX_TYPED
from ..content import current_catalog
from ..db import utcnow
from ..features import ask
from ..i18n import _, current_locale, localize_digits
from . import attempts as attempt_service
from .completion import complete_module, passing_attempt
from .grading import InvalidSubmission, read_responses
from .models import OPEN, AttemptScore, LessonRead
from .presenters import module_titles, retake_message
from .progress import (
    COMPLETE,
    after_module,
    completed_modules,
    learner_state,
    module_progress,
    next_step,
    path_progress,
    waiting_for,
)
from .retakes import RetakeRefused, retake_status, retake_status_of, review_level, withheld_items


def _module(user, module_id):
    module = current_catalog().modules.get(module_id)
    if module is None or (module.for_leaders and not is_leader(user)):
        abort(404, _("There is no such module."))
    return module


def _refuse_if_locked(user, module, missing):
    """A 403 that says what is missing, unless nothing is. A coach's assignment opens a module
    before its prerequisites are done."""
    if missing and not ask("opens_module", user.id, module):
        abort(403, _("Complete these modules first: %(modules)s", modules=module_titles(missing)))


def _open_module(user, module_id):
    """The module, its progress and the learner's state, or a 404 / 403 that says what is missing."""
    module = _module(user, module_id)
    state = learner_state(user.id)
    progress = module_progress(module, state)
    _refuse_if_locked(user, module, progress.missing)
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
    state = learner_state(user.id)
    progress = path_progress(catalog, state)
    today = utcnow().date()
    leaders_track = [module_progress(m, state) for m in catalog.ordered_modules(leaders=True)] \
        if is_leader(user) else []
    return render_template("lms/learning/path.html", catalog=catalog, progress=progress,
                           next_step=next_step(progress), learner=user, today=today, leaders_track=leaders_track,
                           todos=ask("todo_list", catalog, user, today, progress) if is_agent(user) else [])


@require_user
def module(user, module_id):
    module, progress, state = _open_module(user, module_id)
    refreshers = [q for q in current_catalog().quizzes.values() if q.kind == "refresher" and q.topic == module.topic]
    return render_template("lms/learning/module.html", module=module, progress=progress, read=state.read,
                           quiz=current_catalog().quizzes[module.quiz_id], refreshers=refreshers)


def _record_opened(user, module, lesson):
    """The first time a lesson is opened; with it the module may become complete (its quiz
    passed before every lesson was opened)."""
    try:
        with db.session.begin_nested():
            db.session.add(LessonRead(user_id=user.id, lesson_id=lesson.id, lesson_version=lesson.version))
    except IntegrityError:
        db.session.rollback()  # opened before: nothing to add
        return
    events.happen("lesson_completed", user_id=user.id, lesson_id=lesson.id)
    attempt_id = passing_attempt(user.id, module.quiz_id)
    if attempt_id is not None and complete_module(user.id, module, attempt_id, utcnow()):
        events.happen("module_completed", user_id=user.id, module_id=module.id)
    events.commit()


def _quiz_comes_next(user, module, state):
    """Whether the module's quiz is the step after its last lesson: not passed yet, and an
    attempt open or one may start now (otherwise the learner goes back to the module)."""
    quiz = current_catalog().quizzes[module.quiz_id]
    if quiz.id in state.passed:
        return False
    return attempt_service.open_attempt(user.id, quiz.id) is not None or retake_status(user.id, quiz, utcnow()).allowed


@require_user
def lesson(user, module_id, lesson_id):
    module, _progress, state = _open_module(user, module_id)
    lesson, position, following = _lesson_in(module, lesson_id)
    if lesson.id not in state.read:
        _record_opened(user, module, lesson)
    quiz_next = following is None and _quiz_comes_next(user, module, state)
    return render_template("lms/learning/lesson.html", module=module, lesson=lesson, following=following,
                           is_read=True, position=position, quiz_next=quiz_next)


@require_user
def mark_read(user, module_id, lesson_id):
    module, _progress, state = _open_module(user, module_id)
    lesson, _position, following = _lesson_in(module, lesson_id)
    _record_opened(user, module, lesson)
    if following is not None:
        return redirect(url_for("lms.learning.lesson", module_id=module.id, lesson_id=following.id))
    if _quiz_comes_next(user, module, state):
        return redirect(url_for("lms.learning.quiz", quiz_id=module.quiz_id))
    return redirect(url_for("lms.learning.module", module_id=module.id))


def _quiz(quiz_id):
    """The quiz, or a 404. The pages of a learner's own attempt ask no more: the attempt passed
    its module's gate when it started, and stays open to its learner if the module locks
    meanwhile (an assignment withdrawn, say)."""
    quiz = current_catalog().quizzes.get(quiz_id)
    if quiz is None:
        abort(404, _("There is no such quiz."))
    return quiz


def _quiz_for(user, quiz_id):
    """A quiz the learner may open and start: its module must be open to them."""
    quiz = _quiz(quiz_id)
    if quiz.module_id:
        module = _module(user, quiz.module_id)
        # Only what the gate needs (nothing at all for a module that requires none): the quiz
        # page and its start are the busiest requests of a quiz burst.
        if module.requires:
            _refuse_if_locked(user, module, waiting_for(module, completed_modules(user.id)))
    return quiz


def _quiz_page(user, quiz, status=200, refusal=None):
    history = attempt_service.attempts_at(user.id, quiz.id)
    open_attempt = next((a for a in history if a.status == OPEN), None)
    retake = None if open_attempt else retake_status_of(quiz, history, utcnow())
    return render_template("lms/learning/quiz_intro.html", quiz=quiz, history=history, retake=retake,
                           module=current_catalog().modules.get(quiz.module_id), open_attempt=open_attempt,
                           refusal=refusal), status


@require_user
def quiz_intro(user, quiz_id):
    return _quiz_page(user, _quiz_for(user, quiz_id))


@require_user
def start_quiz(user, quiz_id):
    quiz = _quiz_for(user, quiz_id)
    try:
        attempt = attempt_service.start_or_resume(user.id, quiz, current_catalog(), current_locale())
    except RetakeRefused as refused:
        return _quiz_page(user, quiz, 429, retake_message(refused.status))
    return redirect(url_for("lms.learning.attempt", quiz_id=quiz.id, attempt_id=attempt.id), 303)


def _own_attempt(user, quiz, attempt_id):
    try:
        return attempt_service.get_attempt(user.id, quiz.id, attempt_id)
    except attempt_service.AttemptNotFound:
        abort(404, _("There is no such attempt."))


@require_user
def attempt(user, quiz_id, attempt_id):
    """The quiz player while the attempt is open; its result once it is closed."""
    quiz = _quiz(quiz_id)
    catalog = current_catalog()
    attempt = _own_attempt(user, quiz, attempt_id)
    attempt_service.close_if_overdue(attempt, catalog)
    if attempt.status == OPEN:
        return render_template("lms/learning/quiz.html", quiz=quiz, attempt=attempt,
                               shown=attempt_service.shown_items(attempt, catalog),
                               saved=attempt_service.saved_responses(attempt, catalog))
    quiz_open = attempt_service.open_attempt(user.id, quiz.id) is not None
    retake = retake_status(user.id, quiz, utcnow())
    level = review_level(attempt, quiz_open, retake.attempts_left)
    scores = db.session.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id)
                                .order_by(AttemptScore.dimension.desc(), AttemptScore.topic)).all()
    return render_template("lms/learning/result.html", quiz=quiz, attempt=attempt, level=level, scores=scores,
                           answers={answer.item_id: answer for answer in attempt.answers},
                           shown=attempt_service.shown_items(attempt, catalog), withheld=withheld_items(user.id),
                           same_version=attempt.quiz_version == quiz.version,
                           certificates=ask("certificates_earned", catalog, attempt), **_what_next(user, quiz, retake))


def _what_next(user, quiz, retake):
    """The module's progress and, once it is complete, the next module of its track (or that
    the track is complete); why another attempt cannot start yet, if it cannot."""
    module = current_catalog().modules.get(quiz.module_id)
    state = learner_state(user.id)
    progress = module_progress(module, state) if module else None
    following, track_done = after_module(current_catalog(), state, module) \
        if progress and progress.state == COMPLETE else (None, False)
    return {"module_progress": progress, "next_module": following, "track_done": track_done,
            "retake_refusal": None if retake.allowed else retake_message(retake)}


def _posted_responses(attempt, partial=False):
    shown = [s for s in attempt_service.shown_items(attempt, current_catalog()) if s is not None]
    try:
        return read_responses(shown, request.form, partial=partial)
    except InvalidSubmission as error:
        if error.too_long:
            abort(400, _("A typed answer may be at most %(most)s characters long. Shorten it and send the quiz "
                         "again; nothing was saved.", most=localize_digits(MAX_TYPED)))
        abort(400, _("This answer sheet does not match the quiz. Nothing was saved; reload the quiz and try again."))


@require_user
def save_answers(user, quiz_id, attempt_id):
    """Autosave: the answers given so far, posted by the quiz page as the learner goes."""
    quiz = _quiz(quiz_id)
    # The caller holds the attempt: the session keeps it only while it is referenced, and the
    # service finds it there (answers loaded) instead of reading it again.
    attempt = _own_attempt(user, quiz, attempt_id)
    responses = _posted_responses(attempt, partial=True)
    try:
        saved = attempt_service.save_answers(user.id, quiz, attempt_id, responses, locale=current_locale())
    except attempt_service.AttemptClosed:
        return jsonify(saved=0, closed=True,
                       result=url_for("lms.learning.attempt", quiz_id=quiz.id, attempt_id=attempt_id)), 409
    return jsonify(saved=saved, closed=False)


@require_user
def submit_quiz(user, quiz_id, attempt_id):
    quiz = _quiz(quiz_id)
    attempt = _own_attempt(user, quiz, attempt_id)  # held: see save_answers
    responses = _posted_responses(attempt)
    outcome = attempt_service.submit(user.id, quiz, current_catalog(), attempt_id, responses, locale=current_locale())
    result = url_for("lms.learning.attempt", quiz_id=quiz.id, attempt_id=attempt_id)
    if outcome.state == "late":
        flash(_("Time ran out before this page was sent, so the attempt was graded on the answers saved by "
                "the deadline."), "info")
    elif outcome.state in ("stale", "expired"):
        message = (_("This attempt was already submitted with other answers, so these were not saved.")
                   if outcome.state == "stale" else
                   _("The quiz changed while this attempt was open, so it was closed without counting. Start a "
                     "new attempt."))
        return render_template("lms/error.html", message=message, title=_("Attempt closed"), link=result,
                               link_text=_("See this attempt")), 409
    return redirect(result, 303)
