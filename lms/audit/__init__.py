"""The audit trail: who changed what, when, with the value before and after (append-only)."""
