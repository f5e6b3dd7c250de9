"""Helpers the role-play templates use."""

from .engine import shown_choices

TEMPLATE_HELPERS = {"shown_choices": shown_choices}
