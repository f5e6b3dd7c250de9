"""Run CX Academy on its own (``flask --app wsgi run``): a bare Flask app plus the plugin."""

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .db import Base, sqlite_pragmas, with_driver
from .extension import LMS, standalone_http_error
from .migrate import MIGRATIONS, VERSION_TABLE
from .security import AutoSecureSessionInterface


def create_app(test_config=None):
    """The standalone app. Settings come from ``LMS_*`` / ``DATABASE_URL`` / ``SECRET_KEY``
    environment variables, then ``test_config``."""
    app = Flask(__name__, instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
                instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL") or _instance_sqlite(app.instance_path),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    for key in [k for k in os.environ if k.startswith("LMS_")]:
        app.config[key] = _env_value(os.environ[key])
    if test_config:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = with_driver(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    app.session_interface = AutoSecureSessionInterface()

    db = SQLAlchemy(model_class=Base)
    db.init_app(app)
    Migrate(app, db, directory=MIGRATIONS, version_table=VERSION_TABLE)
    LMS().init_app(app)
    if hops := int(app.config["LMS_PROXY_HOPS"]):
        # Behind load balancers: the client's address (sign-in throttling, logs) and scheme
        # (Secure cookies) come from X-Forwarded-For/-Proto, trusting exactly this many hops.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = app.config["LMS_MAX_REQUEST_BYTES"]
    app.register_error_handler(404, standalone_http_error)
    app.register_error_handler(405, standalone_http_error)
    app.register_error_handler(413, standalone_http_error)
    app.register_error_handler(500, standalone_http_error)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", sqlite_pragmas)
    return app


def _env_value(raw):
    """Numbers from the environment as numbers; everything else as text."""
    return int(raw) if raw.isdigit() else raw


def _instance_sqlite(instance_path):
    """The embedded default: a SQLite file in the instance folder."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'cx-academy.sqlite3'}"


def _instance_secret(instance_path):
    """A random secret kept in the instance folder, so sessions survive restarts and every
    worker on this machine signs cookies alike. Production sets SECRET_KEY instead."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


