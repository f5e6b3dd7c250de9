from flask import Blueprint

from . import views

bp = Blueprint("jobs", __name__)
bp.context_processor(views.template_helpers)
bp.add_url_rule("/admin/jobs", "admin", views.admin)
bp.add_url_rule("/admin/jobs/<lms_id:job_id>/retry", "retry", views.retry, methods=("POST",))
bp.add_url_rule("/jobs/<lms_id:job_id>", "show", views.show)
bp.add_url_rule("/jobs/<lms_id:job_id>/status.json", "status", views.status)
bp.add_url_rule("/jobs/<lms_id:job_id>/file", "download", views.download)
