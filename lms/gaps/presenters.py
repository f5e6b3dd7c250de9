"""Names of topics, dimensions and statuses on gap pages, in the page's language."""


from ..content import topic_title
from ..i18n import _, format_percent
from ..i18n import lazy_gettext as _l
from .scoring import share_with_gap


# Lazy strings: a heatmap names thousands of cells, and each name is translated only when used.
TOPIC_SHORT = {"communication": _l("Communication"), "personas": _l("Personas"),
               "problem_solving": _l("Problem solving"), "product": _l("Product"), "policies": _l("Policies")}
DIMENSIONS = {"knowledge": _l("Knowledge"), "belief": _l("Belief"), "support": _l("Support")}
STATUSES = {"gap": _l("Gap"), "at_risk": _l("At risk"), "ok": _l("OK"), "unknown": _l("Not enough evidence")}


def topic_short(topic):
    """A short topic name for heatmap headers."""
    return TOPIC_SHORT.get(topic, topic)


def dimension_title(dimension):
    return DIMENSIONS[dimension]


def status_title(status):
    return STATUSES[status]


def trend_text(delta):
    """+5 / −3 percentage points, or nothing."""
    if delta is None or abs(delta) < 0.005:
        return ""
    arrow = "▲" if delta > 0 else "▼"
    return f"{arrow} {format_percent(abs(delta))}"


def owner_title(owner):
    return {"agent": _("agent"), "coach": _("coach"), "manager": _("manager")}[owner]


def share_of(agents, topic, dimension):
    """The share of these agents whose cell is a gap."""
    return share_with_gap([a.grid for a in agents], topic, dimension)


TEMPLATE_HELPERS = {"share_of": share_of, "topic_title": topic_title, "topic_short": topic_short, "dimension_title": dimension_title, "status_title": status_title,
                    "trend_text": trend_text, "owner_title": owner_title}
