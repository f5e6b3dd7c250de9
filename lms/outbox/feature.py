"""The outbox (see lms/features.py): sends what a transaction queued once it commits."""

from ..features import Feature
from .dispatch import connect

FEATURE = Feature("outbox", setup=connect)
