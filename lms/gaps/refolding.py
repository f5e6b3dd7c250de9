"""The gap sums refolded in the background: a site's after its half-life changed (it was
refolded inside the settings request, seconds for a large site), and everyone's nightly."""

from sqlalchemy import select

from .. import db
from ..accounts.models import User
from ..i18n import lazy_gettext as _l
from ..jobs import enqueue, kind
from .folding import rebuild


def refold_site_later(site_id, changed_at):
    """Enqueue a refold of one site's agents; one per settings change."""
    return enqueue("gaps.refold", {"site_id": site_id},
                   key=f"gaps.refold:site{site_id}:{changed_at.isoformat()}")


@kind("gaps.refold", label=_l("Gap sums refold"))
def refold_job(work):
    """A site's agents (``site_id``) or, with none, everyone (the nightly run). Idempotent:
    a refold from the evidence gives the same sums however often it runs."""
    site_id = work.args.get("site_id")
    rebuild(db.session, select(User.id).where(User.site_id == site_id) if site_id is not None else None)
