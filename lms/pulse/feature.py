"""What the pulse feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp

FEATURE = Feature("pulse", blueprint=bp)
