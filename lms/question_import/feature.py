"""What the question_import feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp

FEATURE = Feature("question_import", blueprint=bp)
