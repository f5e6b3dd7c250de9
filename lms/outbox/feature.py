"""The outbox (see lms/features.py): sends what a transaction queued once it commits, and
shows its depth in the metrics."""

from ..features import Feature
from ..ops import register_queue
from .dispatch import connect
from .queue import depth


def setup(app):
    connect(app)
    register_queue("outbox", depth)


FEATURE = Feature("outbox", setup=setup)
