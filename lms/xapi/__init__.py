"""xAPI: what learners do here, as statements sent to the site's Learning Record Store.

``statements`` builds them (plain functions), ``records`` from the stored rows, ``hooks``
on the plugin's signals, ``delivery`` through the outbox, ``commands`` resends a period."""

from .hooks import CONSEQUENCES

__all__ = ["CONSEQUENCES"]
