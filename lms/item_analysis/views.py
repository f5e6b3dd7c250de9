"""Item analysis for whoever owns the content (admins): every item's statistics, flags and the
reliability of each quiz and topic x dimension, as a page and as CSV."""

from flask import Response, abort, flash, redirect, render_template, request, url_for

from .. import db
from ..accounts.identity import require_user
from ..accounts.permissions import can_analyse_items
from ..content import current_catalog
from ..i18n import _
from ..sheets import csv_text
from . import snapshots
from .queries import analysis_from
from .statistics import FEWEST_ANSWERS

CSV_COLUMNS = ["item", "bank", "type", "topic", "dimension", "answers", "facility", "discrimination", "efficiency",
               "key_longest_share", "option_rates", "flags"]


def banks_of(catalog):
    """item id -> the quiz or refresher file it is written in."""
    return {item.id: quiz.id for quiz in catalog.quizzes.values() for item in quiz.items}


def rows_of(analysis, catalog, bank=None, flagged=False):
    """Items in their banks' order, flagged ones first; only ``bank``'s, only flagged ones."""
    owner = banks_of(catalog)
    rows = [(owner.get(item_id, ""), stats) for item_id, stats in analysis.items.items()
            if (bank is None or owner.get(item_id) == bank) and (stats.flags or not flagged)]
    return sorted(rows, key=lambda row: (not row[1].flags, row[0], row[1].item.id))


def _admin(user):
    if not can_analyse_items(user):
        abort(403, _("Item analysis is for admins."))


def _latest_or_first():
    """The latest figures; the very first are asked for here (a runner in this process may
    have them ready by the end of the commit), None while a job computes them."""
    snapshot = snapshots.latest(db.session)
    if snapshot is None:
        snapshots.ask_for_fresh(None)
        db.session.commit()
        snapshot = snapshots.latest(db.session)
    return snapshot


@require_user
def items(user, fmt="html"):
    _admin(user)
    catalog = current_catalog()
    bank = request.args.get("bank") or None
    if bank is not None and bank not in catalog.quizzes:
        abort(404, _("There is no such quiz."))
    if fmt not in ("html", "csv"):
        abort(404, _("Item analysis comes as a page or csv."))
    snapshot = _latest_or_first()
    if snapshot is None:
        if fmt == "csv":
            abort(503, _("The item statistics are being computed for the first time. Try again in a minute."))
        return render_template("lms/item_analysis/items.html", snapshot=None, banks=sorted(catalog.quizzes),
                               bank=bank)
    analysis = analysis_from(snapshot.sums, catalog)
    rows = rows_of(analysis, catalog, bank, request.args.get("flagged") == "1")
    if fmt == "csv":
        return Response(to_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="item-analysis.csv"'})
    return render_template("lms/item_analysis/items.html", snapshot=snapshot, analysis=analysis, rows=rows,
                           bank=bank, banks=sorted(catalog.quizzes), fewest=FEWEST_ANSWERS)


@require_user
def refresh(user):
    """Compute the figures again, in the background."""
    _admin(user)
    job = snapshots.ask_for_fresh(user.id)
    db.session.commit()
    if job.state == "done":  # a runner in this process did it as the commit ended
        flash(_("The item statistics were computed again."), "info")
        return redirect(url_for("lms.item_analysis.items"), 303)
    return redirect(url_for("lms.jobs.show", job_id=job.id), 303)


def to_csv(rows):
    return csv_text(CSV_COLUMNS, (_csv_row(bank, stats) for bank, stats in rows))


def _csv_row(bank, stats):
    item = stats.item
    rates = " ".join(f"{option}={rate:.4f}" for option, rate in stats.option_rates.items())
    return (item.id, bank, item.type, item.topic, item.dimension, stats.n, _number(stats.facility),
            _number(stats.discrimination), _number(stats.efficiency), _number(stats.key_longest_share), rates,
            " ".join(stats.flags))


def _number(value):
    return "" if value is None else f"{value:.4f}"
