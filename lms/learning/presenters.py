"""Small helpers that turn learner state into words and numbers on a page."""

import json

from flask import url_for
from markupsafe import Markup, escape

from ..catalog import pick
from ..catalog.items import MAX_TYPED
from ..content import current_catalog
from ..db import utcnow
from ..i18n import _, bdi, content_text, current_locale, localize_digits
from .grading import FIELD_PREFIX
from .progress import suggested_date
from .retakes import COOLDOWN, DAILY_LIMIT, FULL, SCORE_ONLY, WRONG_ONLY


def seconds_left(attempt):
    """Whole seconds until the attempt's deadline (0 once it has passed)."""
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - utcnow()).total_seconds()))


def decode(response_json):
    """A stored response back to Python (None when the item was left blank)."""
    return json.loads(response_json) if response_json else None


def describe(item, response):
    """A response in words: the option texts, True/False, the rating, the typed text (or a
    short-answer key: its accepted answers in the page's language)."""
    if response is None:
        return _("Not answered")
    if item.type == "short":
        typed = content_text(response) if isinstance(response, dict) else [response]
        return Markup("; ").join(bdi(text) for text in typed)
    if item.type == "true_false":
        return _("True") if response else _("False")
    if item.type == "agreement":
        return localize_digits(response)
    chosen = {response} if isinstance(response, str) else set(response)
    return "; ".join(content_text(o.text) for o in item.options if o.id in chosen)


def is_chosen(saved, option_id):
    """Whether a saved response (an option id, or a set of them) chose ``option_id``."""
    if isinstance(saved, (set, frozenset, list)):
        return option_id in saved
    return saved == option_id


def choice_inputs(view, saved):
    """A shown item's options as its field lists them, in the order shown: checkboxes when
    several answers may apply, radio buttons otherwise, each posted by its position, the saved
    response's ticked."""
    locale = current_locale()
    kind = "checkbox" if view.item.type == "multiple" else "radio"
    return _inputs(kind, view.item.id, ((position, escape(pick(option.text, locale)), is_chosen(saved, option.id))
                                        for position, option in enumerate(view.options(), 1)))


def scale_inputs(item_id, likert, saved):
    """An agreement item's five points (likert_labels()) as radio buttons, numbered in the
    page's digits; the saved rating's ticked."""
    locale = current_locale()
    return _inputs("radio", item_id, ((value, f"{localize_digits(value, locale)} · {escape(label)}", saved == value)
                                      for value, label in likert))


def _inputs(kind, item_id, entries):
    """(value, label as HTML, ticked) -> the item's labelled inputs. Made here rather than by a
    template loop: a quiz page lists a hundred options, and the loop's bookkeeping and escaping
    of every attribute were a third of the page's cost in a quiz burst."""
    name = escape(f"{FIELD_PREFIX}{item_id}")
    return Markup("\n".join(
        f'<label class="choice"><input type="{kind}" name="{name}" value="{value}"{" checked" if ticked else ""}>'
        f' <span>{label}</span></label>' for value, label, ticked in entries))


def answered_count(saved):
    """How many items of an open attempt have an answer saved (an empty choice is none)."""
    return sum(1 for response in saved.values() if response is not None and response != frozenset())


def lesson_link(lesson_id):
    """The address of a lesson, or None when it has left the catalogue."""
    lesson = current_catalog().lessons.get(lesson_id)
    return url_for("lms.learning.lesson", module_id=lesson.module_id, lesson_id=lesson.id) if lesson else None


def lesson_title(lesson_id):
    lesson = current_catalog().lessons.get(lesson_id)
    return content_text(lesson.title) if lesson else ""


def likert_labels():
    """The five points of an agreement scale, 1 to 5."""
    return [(1, _("Strongly disagree")), (2, _("Disagree")), (3, _("Not sure")), (4, _("Agree")),
            (5, _("Strongly agree"))]


def format_wait(seconds):
    """A wait in words: "45 minutes", "3 hours 10 minutes" (rounded up to the minute)."""
    minutes = max(1, -(-int(seconds) // 60))
    hours, minutes = divmod(minutes, 60)
    parts = ([_("%(n)s hours", n=localize_digits(hours)) if hours > 1 else _("1 hour")] if hours else []) + (
        [_("%(n)s minutes", n=localize_digits(minutes)) if minutes > 1 else _("1 minute")] if minutes else [])
    return " ".join(parts)


def retake_message(status):
    """Why another attempt cannot start yet, and when it can."""
    if status.reason == COOLDOWN:
        return _("You can start your next attempt in %(wait)s. Use the time to reread the lessons behind the "
                 "questions you missed.", wait=format_wait((status.next_at - utcnow()).total_seconds()))
    if status.reason == DAILY_LIMIT:
        return _("You have used today's attempts at this quiz. The next one opens in %(wait)s.",
                 wait=format_wait((status.next_at - utcnow()).total_seconds()))
    return _("You have used every attempt this quiz allows. Ask your coach what to do next.")


def module_titles(module_ids):
    """Module titles joined with the language's own comma."""
    modules = current_catalog().modules
    comma = "، " if current_locale() == "fa" else ", "
    return comma.join(content_text(modules[m].title) for m in module_ids)


TEMPLATE_HELPERS = {
    "retake_message": retake_message,
    "field_prefix": FIELD_PREFIX,
    "choice_inputs": choice_inputs,
    "scale_inputs": scale_inputs,
    "answered_count": answered_count,
    "lesson_link": lesson_link,
    "lesson_title": lesson_title,
    "REVIEW": {"full": FULL, "wrong_only": WRONG_ONLY, "score_only": SCORE_ONLY},
    "seconds_left": seconds_left,
    "decode": decode,
    "describe": describe,
    "max_typed": MAX_TYPED,
    "module_titles": module_titles,
    "likert_labels": likert_labels,
    "suggested_date": suggested_date,
}
