"""Item analysis for whoever owns the content (admins): every item's statistics, flags and the
reliability of each quiz and topic x dimension, as a page and as CSV."""

from flask import Response, abort, render_template, request

from .. import db
from ..accounts.identity import require_user
from ..accounts.permissions import can_analyse_items
from ..content import current_catalog
from ..i18n import _
from ..sheets import csv_text
from .queries import analyse
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


@require_user
def items(user, fmt="html"):
    if not can_analyse_items(user):
        abort(403, _("Item analysis is for admins."))
    catalog = current_catalog()
    bank = request.args.get("bank") or None
    if bank is not None and bank not in catalog.quizzes:
        abort(404, _("There is no such quiz."))
    analysis = analyse(db.session, catalog)
    rows = rows_of(analysis, catalog, bank, request.args.get("flagged") == "1")
    if fmt == "csv":
        return Response(to_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="item-analysis.csv"'})
    if fmt != "html":
        abort(404, _("Item analysis comes as a page or csv."))
    return render_template("lms/item_analysis/items.html", analysis=analysis, rows=rows, bank=bank,
                           banks=sorted(catalog.quizzes), fewest=FEWEST_ANSWERS)


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
