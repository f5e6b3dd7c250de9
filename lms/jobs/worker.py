"""The Celery worker's entry point: ``celery -A lms.jobs.worker worker -B``.

It builds the Flask app from the environment exactly as ``flask --app wsgi`` does (DATABASE_URL,
LMS_CELERY_BROKER_URL, ...), so the web process and the worker read the same settings."""

from lms import create_app

from .celery_app import celery_for

flask_app = create_app()
celery = app = celery_for(flask_app)
