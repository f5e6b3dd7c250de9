"""The effectiveness page: managers see their site's remedies, coaches their own teams'; as a
page, CSV or PDF."""

from flask import Response, abort, render_template

from ..accounts.identity import require_user, site_in_view
from ..accounts.permissions import is_leader, runs_a_site, visible_teams
from ..catalog import DIMENSIONS
from ..i18n import _, current_locale, text_direction
from ..pdf import render_pdf
from .exports import to_csv
from .outcomes import REMEDY_KINDS, WINDOW_DAYS, effectiveness

#: The newest remedies listed one by one on the page and the PDF; the CSV has them all.
LISTED = 200


def _scope(user):
    """(title, Site or list of Teams) the viewer may see: a manager's site (an admin's choice of
    site), a coach's own teams."""
    if not runs_a_site(user):
        return _("Your teams"), visible_teams(user)
    site = site_in_view(user)
    return site.name, site


@require_user
def page(user, fmt="html"):
    if not is_leader(user):
        abort(403, _("This page is for coaches and managers."))
    title, scope = _scope(user)
    found = effectiveness(scope)
    if fmt == "csv":
        return Response(to_csv(found), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="coaching-effectiveness.csv"'})
    context = dict(found=found, title=title, listed=found.outcomes[:LISTED], causes=DIMENSIONS, kinds=REMEDY_KINDS,
                   window=WINDOW_DAYS)
    if fmt == "pdf":
        html = render_template("lms/effect/print.html", lang=current_locale(), dir=text_direction(), **context)
        css = render_template("lms/gaps/print.css", dir=text_direction()) + render_template("lms/effect/print.css")
        return Response(render_pdf(html, css), mimetype="application/pdf",
                        headers={"Content-Disposition": 'inline; filename="coaching-effectiveness.pdf"'})
    if fmt != "html":
        abort(404, _("Reports come as a page, csv or pdf."))
    return render_template("lms/effect/page.html", **context)
