"""Names of the culture lenses on pages, CSV headers aside, in the page's language."""

from ..i18n import lazy_gettext as _l
from ..i18n import translated

LENS_TITLES = {"values": _l("Values stated and lived"), "rewards": _l("What is rewarded"),
               "rhythm": _l("Rhythm of the work"), "experience": _l("Employees' own experience"),
               "customer": _l("Shared understanding of the customer")}


def lens_title(lens):
    return translated(LENS_TITLES[lens])
