"""What xAPI brings to the plugin (see lms/features.py): a statement for each event, queued
in the outbox in the event's transaction."""

from ..features import Feature
from .hooks import CONSEQUENCES

FEATURE = Feature("xapi", consequences=CONSEQUENCES)
