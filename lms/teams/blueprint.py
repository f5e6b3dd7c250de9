from flask import Blueprint

from . import views

bp = Blueprint("teams", __name__)
bp.add_url_rule("/teams", "list", views.team_list)
bp.add_url_rule("/teams/<lms_id:team_id>", "team", views.team)
bp.add_url_rule("/people/<lms_id:user_id>", "person", views.person)
