"""Template helpers for coaching pages: content named in the page's language."""

from ..content import current_catalog
from . import assigning
from .naming import subject_title, target_title


def help_subject(question):
    return subject_title(current_catalog(), question.subject_kind, question.subject_id)


def help_subject_of(ident):
    """What a help request was about, from the subject id alone (as evidence rows keep it)."""
    kind = "lesson" if ident in current_catalog().lessons else "item"
    return subject_title(current_catalog(), kind, ident)


def target_name(key):
    return target_title(current_catalog(), key)


def refresher_key(topic):
    """The topic's refresher as an assignable key, for one-click follow-ups."""
    target = assigning.refresher_for(current_catalog(), topic) if topic else None
    return target.key if target else None


TEMPLATE_HELPERS = {"help_subject": help_subject, "help_subject_of": help_subject_of, "target_name": target_name, "refresher_key": refresher_key}
