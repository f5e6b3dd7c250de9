"""Names on the effectiveness page, in the page's language."""

from ..coaching.assigning import find_target
from ..content import current_catalog
from ..i18n import content_text, translated
from ..i18n import lazy_gettext as _l

REMEDIES = {("assignment", None): _l("Assignment from the gap report"),
            ("one_on_one", "belief"): _l("1:1 on why it matters"),
            ("one_on_one", "support"): _l("Practice session (1:1)"),
            ("one_on_one", None): _l("1:1 conversation")}


def remedy_title(kind, cause=None):
    """What kind of remedy it was; a 1:1 is named after the gap it was for."""
    return translated(REMEDIES.get((kind, cause)) or REMEDIES[kind, None])


def target_title(key):
    """The title of an assigned piece of content ("quiz:<id>"), or nothing once it has left the catalogue."""
    target = find_target(current_catalog(), key) if key else None
    return content_text(target.title) if target else ""


TEMPLATE_HELPERS = {"remedy_title": remedy_title, "target_title": target_title}
