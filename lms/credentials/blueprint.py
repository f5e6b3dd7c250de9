from flask import Blueprint

from . import published, views

bp = Blueprint("credentials", __name__)
bp.add_url_rule("/certificates", "mine", views.mine)
bp.add_url_rule("/certificates/<code>.pdf", "download", views.download)
bp.add_url_rule("/certificates/<code>/badge.json", "badge", views.badge)
bp.add_url_rule("/certificates/<code>/badge.jwt", "badge_jwt", views.badge_jwt)
bp.add_url_rule("/badges/issuer", "issuer", published.issuer)
bp.add_url_rule("/badges/keys", "keys", published.keys)
bp.add_url_rule("/badges/status/<lms_index:list_id>", "status_list", published.status_list)
bp.add_url_rule("/verify", "verify", views.verify)
bp.add_url_rule("/verify/<code>", "verify", views.verify)
bp.add_url_rule("/manage/certificates", "manage", views.manage)
bp.add_url_rule("/manage/certificates/print.pdf", "print_selection", views.print_selection)
bp.add_url_rule("/manage/certificates/issue", "issue", views.issue, methods=("POST",))
bp.add_url_rule("/manage/certificates/<code>/revoke", "revoke", views.revoke, methods=("POST",))
bp.add_url_rule("/manage/certificates/<code>/restore", "restore", views.restore, methods=("POST",))
