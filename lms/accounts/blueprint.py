from flask import Blueprint

from . import kept_forms, views

bp = Blueprint("accounts", __name__)
bp.add_url_rule("/sign-in", "login", views.login, methods=("GET", "POST"))
bp.add_url_rule("/sign-in/kept", "resend", kept_forms.resend)
bp.add_url_rule("/sign-out", "logout", views.logout, methods=("POST",))
bp.add_url_rule("/language", "set_language", views.set_language, methods=("POST",))
bp.add_url_rule("/account", "account", views.account, methods=("GET", "POST"))
