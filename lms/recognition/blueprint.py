from flask import Blueprint

from . import views

bp = Blueprint("recognition", __name__, url_prefix="/recognition")
bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/report.csv", "export", views.export)
bp.add_url_rule("/sheet.pdf", "sheet", views.sheet)
bp.add_url_rule("/people/<lms_id:user_id>/praise", "record", views.record, methods=("GET", "POST"))
bp.add_url_rule("/praise/<lms_id:praise_id>/acknowledge", "acknowledge", views.acknowledge, methods=("POST",))
