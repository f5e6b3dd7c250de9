from flask import Blueprint

from . import views

bp = Blueprint("teams", __name__)
bp.add_url_rule("/teams", "list", views.team_list)
bp.add_url_rule("/teams/<int:team_id>", "team", views.team)
bp.add_url_rule("/people/<int:user_id>", "person", views.person)
