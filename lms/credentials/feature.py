"""What the credentials feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .hooks import CONSEQUENCES
from .repair import repair

FEATURE = Feature("credentials", blueprint=bp, consequences=CONSEQUENCES, repair=repair)
