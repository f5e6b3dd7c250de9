"""What the self-review feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .forms import CHANNEL_TITLES
from .services import can_self_review, reviews_of, waiting_for

FEATURE = Feature("selfreview", blueprint=bp,
                  template_helpers={"channel_title": lambda channel: CHANNEL_TITLES.get(channel, channel),
                                    "can_self_review": can_self_review},
                  # the coaches' review queue lists the calls waiting beside the role-play replies;
                  # the coach's page of an agent lists the agent's calls
                  answers={"calls_to_score": waiting_for, "self_reviews_of": reviews_of})
