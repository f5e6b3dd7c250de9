from flask import Blueprint

from . import views

bp = Blueprint("roster", __name__, url_prefix="/admin/import")
bp.add_url_rule("/", "upload", views.upload, methods=["GET", "POST"])
bp.add_url_rule("/template.csv", "template", views.template)
bp.add_url_rule("/<token>", "preview", views.preview)
bp.add_url_rule("/<token>", "confirm", views.confirm, methods=["POST"])
