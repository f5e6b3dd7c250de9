from flask import Blueprint

from . import views

bp = Blueprint("selfreview", __name__)
bp.add_url_rule("/calls", "mine", views.mine)
bp.add_url_rule("/calls/new", "new", views.new, methods=("GET", "POST"))
bp.add_url_rule("/calls/<lms_id:review_id>", "show", views.show)
bp.add_url_rule("/calls/<lms_id:review_id>/score", "score", views.score, methods=("POST",))
