"""What the credentials feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .earned import earned_by
from .hooks import CONSEQUENCES
from .repair import repair

FEATURE = Feature("credentials", blueprint=bp, consequences=CONSEQUENCES, repair=repair,
                  answers={"certificates_earned": earned_by})  # the quiz result page lists them
