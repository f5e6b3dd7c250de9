from flask import Blueprint

from . import views

bp = Blueprint("effect", __name__)
bp.add_url_rule("/coaching/effectiveness", "page", views.page)
bp.add_url_rule("/coaching/effectiveness/report.<fmt>", "export", views.page)
