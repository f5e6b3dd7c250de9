from flask import Blueprint

from . import views

bp = Blueprint("item_analysis", __name__, url_prefix="/admin/items")
bp.add_url_rule("/", "items", views.items)
bp.add_url_rule("/report.<fmt>", "export", views.items)
bp.add_url_rule("/refresh", "refresh", views.refresh, methods=("POST",))
