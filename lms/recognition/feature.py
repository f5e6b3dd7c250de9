"""What the recognition feature brings to the plugin (see lms/features.py): customers' praise
of agents, recorded by name, shown on the agent's and the team's pages (which read it through
lms.recognition.listing), counted per month and printed as a monthly sheet."""

from ..features import Feature
from .blueprint import bp
from .presenters import TEMPLATE_HELPERS

FEATURE = Feature("recognition", blueprint=bp, template_helpers=TEMPLATE_HELPERS)
