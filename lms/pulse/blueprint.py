from flask import Blueprint

from . import culture_views, views

bp = Blueprint("pulse", __name__)
bp.add_url_rule("/pulse", "pulse", views.pulse, methods=("GET", "POST"))
bp.add_url_rule("/culture", "culture", culture_views.answer, methods=("GET", "POST"))
bp.add_url_rule("/culture/report", "culture_report", culture_views.report)
bp.add_url_rule("/culture/report.<fmt>", "culture_export", culture_views.report)
