"""Background jobs (see lms/features.py): the admin and progress pages, and a runner woken
after each commit."""

from ..features import Feature
from . import init_app
from .blueprint import bp

FEATURE = Feature("jobs", blueprint=bp, setup=init_app)
