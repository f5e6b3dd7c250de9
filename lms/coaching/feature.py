"""What the coaching feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS
from .hooks import CONSEQUENCES
from .repair import repair

FEATURE = Feature("coaching", blueprint=bp, template_helpers=TEMPLATE_HELPERS, consequences=CONSEQUENCES,
                  repair=repair)
