"""A link launched with only the platform's line items container (no line item of its own,
e.g. not deep-linked, or a platform that leaves line items to the tool): its line item is found
by the link and our activity tag, or made, when its first score is sent, and kept on the score
routes, so later scores go straight to it.

Two senders of one link at once make one line item: the resolving sender first locks every
unresolved route of the link (an UPDATE: a row lock on PostgreSQL, the write lock on SQLite),
the other waits and then finds the URL stored. What remains: a person whose route is written
(first launch) while another's sender is between its search and its create may search too,
find nothing, and make a second line item; and another tool instance or a platform that
ignores our tag cannot be guarded against."""

from urllib.parse import urlencode

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.lineitem import LineItem
from sqlalchemy import select, update

from .. import db
from ..content import current_catalog
from ..keys import current_key
from . import activities
from .models import LtiScoreRoute
from .toolconf import ALG

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"


def known_lineitem(platform_id, activity, lineitems_url, resource_link_id):
    """The line item some score of this link already found or made, if any."""
    return db.session.scalar(select(LtiScoreRoute.lineitem_url).where(
        *_same_link(platform_id, activity, lineitems_url, resource_link_id),
        LtiScoreRoute.lineitem_url.is_not(None)).limit(1))


def resolve(route, connector):
    """The route's line item URL, found or made on the platform and stored on every route of
    the link; commits (so a failed score post after it does not lose it)."""
    current_key(ALG)  # the site's first signing key is made with a commit: not inside the lock below
    link = _same_link(route.platform_id, route.activity, route.lineitems_url, route.resource_link_id)
    db.session.execute(update(LtiScoreRoute).where(*link, LtiScoreRoute.lineitem_url.is_(None))
                       .values(lineitem_url=None))  # the lock; another resolver of the link waits here
    db.session.refresh(route)
    if route.lineitem_url is None:
        url = _find_or_create(route, connector)
        db.session.execute(update(LtiScoreRoute).where(*link, LtiScoreRoute.lineitem_url.is_(None))
                           .values(lineitem_url=url))
        db.session.refresh(route)
    db.session.commit()
    return route.lineitem_url


def _find_or_create(route, connector):
    kind = route.activity.partition(":")[0]
    wanted = (LineItem().set_label(activities.english_title(current_catalog(), route.activity))
              .set_score_maximum(activities.SCORE_MAXIMUM[kind]).set_resource_link_id(route.resource_link_id)
              .set_tag(route.activity).set_resource_id(route.activity))
    scopes = [LINEITEM_SCOPE, SCORE_SCOPE]
    # AGS lets the container be filtered by link and tag; the condition checks again, for a
    # platform that ignores the filter and answers with every line item of the course.
    query = urlencode({"resource_link_id": route.resource_link_id, "tag": route.activity})
    search = AssignmentsGradesService(connector, {"scope": scopes, "lineitems": _with_query(route.lineitems_url, query)})
    found = search.find_lineitem_satisfying(lambda item: item.get("resourceLinkId") == route.resource_link_id
                                            and item.get("tag") == route.activity)
    if found is None:  # made in the container itself, not at the filtered address
        found = AssignmentsGradesService(connector, {"scope": scopes, "lineitems": route.lineitems_url})\
            .create_lineitem(wanted)
    return found.get_id()


def _with_query(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _same_link(platform_id, activity, lineitems_url, resource_link_id):
    return (LtiScoreRoute.platform_id == platform_id, LtiScoreRoute.activity == activity,
            LtiScoreRoute.lineitems_url == lineitems_url, LtiScoreRoute.resource_link_id == resource_link_id)
