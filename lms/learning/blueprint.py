from flask import Blueprint

from . import views

bp = Blueprint("learning", __name__)
bp.add_url_rule("/", "path", views.path)
bp.add_url_rule("/modules/<module_id>", "module", views.module)
bp.add_url_rule("/modules/<module_id>/lessons/<lesson_id>", "lesson", views.lesson)
bp.add_url_rule("/modules/<module_id>/lessons/<lesson_id>/read", "mark_read", views.mark_read, methods=("POST",))
bp.add_url_rule("/quizzes/<quiz_id>", "quiz", views.quiz_intro)
bp.add_url_rule("/quizzes/<quiz_id>/start", "start_quiz", views.start_quiz, methods=("POST",))
bp.add_url_rule("/quizzes/<quiz_id>/attempts/<lms_id:attempt_id>", "attempt", views.attempt)
bp.add_url_rule("/quizzes/<quiz_id>/attempts/<lms_id:attempt_id>", "submit_quiz", views.submit_quiz,
                methods=("POST",))
bp.add_url_rule("/quizzes/<quiz_id>/attempts/<lms_id:attempt_id>/answers", "save_answers", views.save_answers,
                methods=("POST",))
