from flask import Blueprint

from . import views

bp = Blueprint("pulse", __name__)
bp.add_url_rule("/pulse", "pulse", views.pulse, methods=("GET", "POST"))
