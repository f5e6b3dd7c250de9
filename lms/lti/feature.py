"""What the lti feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .grades import CONSEQUENCES

FEATURE = Feature("lti", blueprint=bp, consequences=CONSEQUENCES)
