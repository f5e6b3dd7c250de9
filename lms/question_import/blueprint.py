from flask import Blueprint

from . import views

bp = Blueprint("question_import", __name__, url_prefix="/admin/questions")
bp.add_url_rule("/import", "upload", views.upload, methods=["GET", "POST"])
