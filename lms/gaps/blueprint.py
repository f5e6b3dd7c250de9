from flask import Blueprint

from . import views

bp = Blueprint("gaps", __name__, url_prefix="/gaps")
bp.add_url_rule("/", "home", views.home)
bp.add_url_rule("/people/<lms_id:user_id>", "person", views.person)
bp.add_url_rule("/people/<lms_id:user_id>/report.<fmt>", "person_export", views.person)
bp.add_url_rule("/people/<lms_id:user_id>/<topic>/<dimension>", "cell", views.cell)
bp.add_url_rule("/teams/<lms_id:team_id>", "team", views.team)
bp.add_url_rule("/teams/<lms_id:team_id>/report.<fmt>", "team_export", views.team)
bp.add_url_rule("/site", "site", views.site)
bp.add_url_rule("/site/report.<fmt>", "site_export", views.site)
bp.add_url_rule("/settings", "settings", views.settings, methods=("GET", "POST"))
