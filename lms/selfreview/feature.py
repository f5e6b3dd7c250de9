"""What the self-review feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .forms import CHANNEL_TITLES
from .services import can_self_review, waiting_for

FEATURE = Feature("selfreview", blueprint=bp,
                  template_helpers={"channel_title": lambda channel: CHANNEL_TITLES.get(channel, channel),
                                    "can_self_review": can_self_review},
                  # the coaches' review queue lists the calls waiting beside the role-play replies
                  answers={"calls_to_score": waiting_for})
