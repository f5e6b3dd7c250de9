"""What the lti feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .frames import frame_origins, in_lti_frame
from .grades import CONSEQUENCES

#: The plugin's security headers and session cookie ask whether an LMS frames the page.
FEATURE = Feature("lti", blueprint=bp, consequences=CONSEQUENCES,
                  answers={"frame_origins": frame_origins, "in_lti_frame": in_lti_frame})
