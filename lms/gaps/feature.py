"""What the gaps feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS

FEATURE = Feature("gaps", blueprint=bp, template_helpers=TEMPLATE_HELPERS)
