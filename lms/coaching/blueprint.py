from flask import Blueprint

from . import views

bp = Blueprint("coaching", __name__)
bp.add_url_rule("/todo", "todo", views.todo_page)
bp.add_url_rule("/practice", "practice", views.practice, methods=("GET", "POST"))
bp.add_url_rule("/practice/rounds/<lms_id:round_id>", "practice_round", views.practice_round)
bp.add_url_rule("/help", "my_help", views.my_help)
bp.add_url_rule("/help/ask", "ask", views.ask, methods=("GET", "POST"))
bp.add_url_rule("/coaching", "dashboard", views.dashboard)
bp.add_url_rule("/coaching/assign", "assign", views.assign, methods=("GET", "POST"))
bp.add_url_rule("/coaching/assignments/<lms_id:assignment_id>/cancel", "cancel_assignment", views.cancel_assignment,
                methods=("POST",))
bp.add_url_rule("/coaching/people/<lms_id:user_id>", "person", views.person, methods=("GET", "POST"))
bp.add_url_rule("/coaching/people/<lms_id:user_id>/accept", "accept_remedy", views.accept_remedy, methods=("POST",))
bp.add_url_rule("/coaching/help/<lms_id:request_id>", "help_request", views.help_request, methods=("GET", "POST"))
bp.add_url_rule("/coaching/late", "late_coaches", views.late_coaches)
bp.add_url_rule("/notifications", "notifications", views.notification_list)
bp.add_url_rule("/notifications/read", "read_all", views.read_all, methods=("POST",))
bp.add_url_rule("/notifications/<lms_id:notification_id>", "open_notification", views.open_notification)
