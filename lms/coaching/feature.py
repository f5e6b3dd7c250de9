"""What the coaching feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .assigning import is_assigned
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS
from .hooks import CONSEQUENCES
from .repair import repair
from .todo import todo_for

FEATURE = Feature("coaching", blueprint=bp, template_helpers=TEMPLATE_HELPERS, consequences=CONSEQUENCES,
                  repair=repair,
                  # the learning pages: an assignment opens a locked module; the path shows the to-do list
                  answers={"opens_module": is_assigned, "todo_list": todo_for})
