from flask import Blueprint

from . import views

bp = Blueprint("roleplays", __name__)
bp.add_url_rule("/roleplays", "index", views.index)
bp.add_url_rule("/roleplays/<roleplay_id>", "intro", views.intro)
bp.add_url_rule("/roleplays/<roleplay_id>/start", "start", views.start, methods=("POST",))
bp.add_url_rule("/roleplays/<roleplay_id>/runs/<lms_id:run_id>", "run", views.run)
bp.add_url_rule("/roleplays/<roleplay_id>/runs/<lms_id:run_id>", "reply", views.reply, methods=("POST",))
bp.add_url_rule("/reviews", "review_queue", views.review_queue)
bp.add_url_rule("/reviews/<lms_id:step_id>", "review", views.review, methods=("GET", "POST"))
