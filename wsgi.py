"""Entry point for ``flask --app wsgi run`` and for gunicorn (``gunicorn wsgi:app``)."""

from lms import create_app

app = create_app()
