"""The outbox: deliveries to other systems (an LRS, an LMS gradebook) written in the same
transaction as what caused them, and sent from there, retried with backoff until they go."""

from .queue import deliver_due, enqueue, sender

__all__ = ["deliver_due", "enqueue", "sender"]
