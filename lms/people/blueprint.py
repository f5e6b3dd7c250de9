from flask import Blueprint

from . import views

bp = Blueprint("people", __name__, url_prefix="/admin")
bp.add_url_rule("/", "home", views.home)
bp.add_url_rule("/people/", "list", views.people)
bp.add_url_rule("/people/new", "new", views.new_person, methods=("GET", "POST"))
bp.add_url_rule("/people/first-passwords", "first_passwords", views.first_passwords, methods=("POST",))
bp.add_url_rule("/people/<lms_id:person_id>", "person", views.person, methods=("GET", "POST"))
bp.add_url_rule("/people/<lms_id:person_id>/deactivate", "deactivate", views.deactivate, methods=("POST",))
bp.add_url_rule("/people/<lms_id:person_id>/reactivate", "reactivate", views.reactivate, methods=("POST",))
bp.add_url_rule("/people/<lms_id:person_id>/password", "reset_password", views.reset_password, methods=("POST",))
bp.add_url_rule("/teams/", "teams", views.teams, methods=("GET", "POST"))
bp.add_url_rule("/teams/<lms_id:team_id>", "team", views.team, methods=("GET", "POST"))
bp.add_url_rule("/teams/<lms_id:team_id>/coaches", "add_coach", views.add_coach, methods=("POST",))
bp.add_url_rule("/teams/<lms_id:team_id>/coaches/<lms_id:person_id>/remove", "remove_coach", views.remove_coach,
                methods=("POST",))
bp.add_url_rule("/sites/", "sites", views.sites, methods=("GET", "POST"))
bp.add_url_rule("/sites/<lms_id:site_id>", "site", views.site, methods=("GET", "POST"))
