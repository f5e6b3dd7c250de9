from flask import Blueprint

from . import views

bp = Blueprint("lti", __name__)
bp.add_url_rule("/lti/login", "login", views.login, methods=("GET", "POST"))
bp.add_url_rule("/lti/launch", "launch", views.launch, methods=("POST",))
bp.add_url_rule("/lti/jwks.json", "jwks", views.jwks)
bp.add_url_rule("/lti/deep-link/<launch_id>", "deep_link", views.deep_link, methods=("GET", "POST"))
bp.add_url_rule("/lti/courses", "courses", views.courses)
bp.add_url_rule("/lti/courses/<lms_id:context_id>/sync", "sync", views.sync, methods=("POST",))
bp.add_url_rule("/admin/lti/", "platforms", views.platforms)
bp.add_url_rule("/admin/lti/new", "new_platform", views.edit_platform, methods=("GET", "POST"))
bp.add_url_rule("/admin/lti/<lms_id:platform_id>", "platform", views.edit_platform, methods=("GET", "POST"))
bp.add_url_rule("/admin/lti/<lms_id:platform_id>/remove", "remove_platform", views.remove_platform, methods=("POST",))
