"""What the pulse feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .answering import culture_due, pulses_due
from .blueprint import bp
from .presenters import lens_title
from .results import beside_gaps

FEATURE = Feature("pulse", blueprint=bp, answers={"pulse_beside_gaps": beside_gaps, "pulses_due": pulses_due,
                                                  "culture_due": culture_due},
                  template_helpers={"lens_title": lens_title})
