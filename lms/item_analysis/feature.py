"""What the item_analysis feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from . import snapshots  # noqa: F401  (registers its job kind)
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS

FEATURE = Feature("item_analysis", blueprint=bp, template_helpers=TEMPLATE_HELPERS)
