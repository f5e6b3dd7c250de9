"""Names of topics, dimensions and statuses on gap pages, in the page's language."""

from markupsafe import Markup, escape

from ..content import topic_title
from ..i18n import current_locale, format_percent, translated
from ..i18n import lazy_gettext as _l
from .scoring import share_with_gap


# Lazy strings: a heatmap names thousands of cells, and each name is translated only when used.
TOPIC_SHORT = {"communication": _l("Communication"), "personas": _l("Personas"),
               "problem_solving": _l("Problem solving"), "product": _l("Product"), "policies": _l("Policies")}
DIMENSIONS = {"knowledge": _l("Knowledge"), "belief": _l("Belief"), "support": _l("Support")}
STATUSES = {"gap": _l("Gap"), "at_risk": _l("At risk"), "ok": _l("OK"), "unknown": _l("Not enough evidence")}


def topic_short(topic):
    """A short topic name for heatmap headers."""
    return translated(TOPIC_SHORT[topic]) if topic in TOPIC_SHORT else topic


def dimension_title(dimension):
    return translated(DIMENSIONS[dimension])


def status_title(status):
    return translated(STATUSES[status])


#: A status is shown by a mark as well as a colour, and named for screen readers.
MARKS = {"gap": "✖", "at_risk": "!", "ok": "✓", "unknown": "?", "some": "•"}


MARK_HTML = {status: f'<span class="mark" aria-hidden="true">{sign}</span>' for status, sign in MARKS.items()}


def mark(status):
    return Markup(MARK_HTML[status])


def heat_row(grid, topics, dimensions, link=None):
    """An agent's heatmap cells, each linked to its evidence under ``link`` (the agent's gap
    page) when given. Made here with f-strings rather than in a Jinja macro or with
    Markup.format, and with the language and status names looked up once a row: a team's heatmap has
    hundreds of cells, and each of those costs several times the cell itself. Only ``link`` is
    escaped: topics, dimensions, statuses and percentages are the plugin's own words and digits."""
    locale = current_locale()
    titles = {status: escape(status_title(status)) for status in STATUSES}  # translated() keeps them
    base = escape(link) if link else None
    cells = []
    for t in topics:
        for d in dimensions:
            cell = grid.cell(t, d)
            score = format_percent(cell.score, locale) if cell.score is not None else "·"
            body = f'{MARK_HTML[cell.status]} {score}<span class="visually-hidden"> {titles[cell.status]}</span>'
            if base:
                body = f'<a href="{base}/{t}/{d}">{body}</a>'
            cells.append(f'<td class="heat {cell.status}">{body}</td>')
    return Markup("".join(cells))


def trend_text(delta):
    """+5 / −3 percentage points, or nothing."""
    if delta is None or abs(delta) < 0.005:
        return ""
    arrow = "▲" if delta > 0 else "▼"
    return f"{arrow} {format_percent(abs(delta))}"


OWNERS = {"agent": _l("agent"), "coach": _l("coach"), "manager": _l("manager")}


def owner_title(owner):
    return translated(OWNERS[owner])


def share_of(agents, topic, dimension):
    """The share of these agents whose cell is a gap."""
    return share_with_gap([a.grid for a in agents], topic, dimension)


TEMPLATE_HELPERS = {"heat_row": heat_row, "mark": mark, "share_of": share_of, "topic_title": topic_title, "topic_short": topic_short, "dimension_title": dimension_title, "status_title": status_title,
                    "trend_text": trend_text, "owner_title": owner_title}
