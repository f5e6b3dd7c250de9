"""The audit trail page and its CSV: filtered by person, kind and dates; a manager sees the
events of their site's people, an admin every site's."""

import json

from flask import Response, abort, render_template, request

from .. import db
from ..accounts.identity import require_user
from ..accounts.permissions import audit_site_id, can_view_audit
from ..i18n import _
from ..params import day_param, whole_number_arg
from ..sheets import csv_text
from .trail import KINDS, AuditFilter, select_events

PAGE_SIZE = 100
CSV_COLUMNS = ["at", "kind", "actor_id", "actor", "person_id", "person", "site_id", "target", "before", "after",
               "reason"]


def _filter(user):
    group = request.args.get("kind", "")
    if group and group not in KINDS:
        abort(400, _("There is no such kind of change."))
    start, end = day_param("from"), day_param("to", end_of_day=True)
    if start and end and start > end:
        abort(400, _("The start date is after the end date."))
    return AuditFilter(person=request.args.get("person", "").strip()[:120], kinds=KINDS.get(group, ()),
                       start=start, end=end, site_id=audit_site_id(user))


def _page_number():
    return whole_number_arg("page", 1, low=1, high=100_000)


@require_user
def events(user, fmt="html"):
    if not can_view_audit(user):
        abort(403, _("The audit trail is for managers and admins."))
    query = select_events(_filter(user))
    if fmt == "csv":
        return Response(to_csv(db.session.scalars(query)), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'})
    if fmt != "html":
        abort(404, _("The audit trail comes as a page or csv."))
    page = _page_number()
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return render_template("lms/audit/events.html", events=rows[:PAGE_SIZE], page=page,
                           more=len(rows) > PAGE_SIZE, groups=KINDS)


def to_csv(events):
    return csv_text(CSV_COLUMNS, (
        (e.at.isoformat(timespec="seconds"), e.kind, e.actor_id or "", e.actor_name, e.person_id or "",
         e.person_name or "", e.site_id or "", e.target, _json(e.before), _json(e.after), e.reason or "")
        for e in events))


def _json(values):
    return "" if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)
