"""What the effectiveness feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS
from .recording import remedy_taken

#: The coaching pages ask it to record the gap a remedy is for, as the coach takes it.
FEATURE = Feature("effect", blueprint=bp, template_helpers=TEMPLATE_HELPERS, answers={"remedy_taken": remedy_taken})
