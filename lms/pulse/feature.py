"""What the pulse feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .presenters import lens_title
from .results import beside_gaps

FEATURE = Feature("pulse", blueprint=bp, answers={"pulse_beside_gaps": beside_gaps},
                  template_helpers={"lens_title": lens_title})
