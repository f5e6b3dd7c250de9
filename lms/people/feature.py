"""What the people feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp

FEATURE = Feature("people", blueprint=bp)
