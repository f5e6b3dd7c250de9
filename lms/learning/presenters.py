"""Small helpers that turn learner state into words and numbers on a page."""

import json

from ..content import current_catalog
from ..db import utcnow
from ..i18n import _, content_text, current_locale, localize_digits
from .progress import suggested_date


def seconds_left(attempt):
    """Whole seconds until the attempt's deadline (0 once it has passed)."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - utcnow()).total_seconds()))


def decode(response_json):
    """A stored response back to Python (None when the item was left blank)."""
    return json.loads(response_json) if response_json else None


def describe(item, response):
    """A response in words: the option texts, True/False, or the rating."""
    if response is None:
        return _("Not answered")
    if item.type == "true_false":
        return _("True") if response else _("False")
    if item.type == "agreement":
        return localize_digits(response)
    chosen = {response} if isinstance(response, str) else set(response)
    return "; ".join(content_text(o.text) for o in item.options if o.id in chosen)


def likert_labels():
    """The five points of an agreement scale, 1 to 5."""
    return [(1, _("Strongly disagree")), (2, _("Disagree")), (3, _("Not sure")), (4, _("Agree")),
            (5, _("Strongly agree"))]


def module_titles(module_ids):
    """Module titles joined with the language's own comma."""
    modules = current_catalog().modules
    comma = "، " if current_locale() == "fa" else ", "
    return comma.join(content_text(modules[m].title) for m in module_ids)


TEMPLATE_HELPERS = {
    "seconds_left": seconds_left,
    "decode": decode,
    "describe": describe,
    "module_titles": module_titles,
    "likert_labels": likert_labels,
    "suggested_date": suggested_date,
}
