from flask import Blueprint

from . import views

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
bp.add_url_rule("/", "events", views.events)
bp.add_url_rule("/trail.<fmt>", "export", views.events)
