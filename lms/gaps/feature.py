"""What the gaps feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS
from .reports import site_settings

#: The coaching pages ask a site's settings (its follow-up deadlines live with the gap thresholds).
FEATURE = Feature("gaps", blueprint=bp, template_helpers=TEMPLATE_HELPERS, answers={"site_settings": site_settings})
