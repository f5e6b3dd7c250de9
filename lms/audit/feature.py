"""What the audit feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS

FEATURE = Feature("audit", blueprint=bp, template_helpers=TEMPLATE_HELPERS)
