"""The import pages: upload an HR export, check its preview, confirm it once."""

from flask import Response, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from .. import db
from ..accounts.identity import require_user
from ..accounts.models import Site, User
from ..accounts.permissions import can_administer_people, can_open_import, managed_site_id
from ..i18n import _, format_day
from ..sheets import csv_text
from .batches import apply_batch, batch_outcome, find_batch, plan_batch, store_batch
from .forms import ConfirmForm, UploadForm
from .import_job import is_large, start_import
from .reading import MAX_BYTES, TEMPLATE_HEADERS, ReadError, read_roster

SHOWN_ROWS = 200  # per table on the preview; the counts cover the rest


def _require_importer(user):
    if not can_administer_people(user):
        abort(403, _("Importing people is for managers and admins."))


def _upload_form(user):
    form = UploadForm()
    if managed_site_id(user) is None:
        form.site_id.choices = [("", _("None (the file names each site)"))] + [
            (str(i), name) for i, name in db.session.execute(select(Site.id, Site.name).order_by(Site.name))]
    else:
        del form.site_id  # a manager imports into their own site
    return form


@require_user
def upload(user):
    _require_importer(user)
    form = _upload_form(user)
    if form.validate_on_submit():
        upload_file = form.file.data
        content = upload_file.read(MAX_BYTES + 1)
        try:
            read_roster(upload_file.filename, content)
        except ReadError as error:
            form.file.errors.append(str(error))
        else:
            site_id = int(form.site_id.data) if "site_id" in form and form.site_id.data else managed_site_id(user)
            batch = store_batch(user, upload_file.filename, content, site_id, form.full_roster.data)
            db.session.commit()
            return redirect(url_for("lms.roster.preview", token=batch.token))
    return render_template("lms/roster/upload.html", form=form, max_mb=MAX_BYTES // (1024 * 1024)), \
        400 if form.errors else 200


def _batch(user, token):
    _require_importer(user)
    batch = find_batch(token)
    if batch is None:
        abort(404, _("There is no such import. Upload the file again."))
    if not can_open_import(user, batch):
        abort(403, _("This import belongs to another site."))
    return batch


def _render_preview(batch, plan, form, status=200):
    return render_template("lms/roster/preview.html", batch=batch, plan=plan, form=form, shown=SHOWN_ROWS,
                           label=field_label, value=field_value,
                           uploader=db.session.get(User, batch.uploaded_by_id) if batch.uploaded_by_id else None,
                           site=db.session.get(Site, batch.site_id) if batch.site_id else None), status


@require_user
def preview(user, token):
    batch = _batch(user, token)
    if batch.applied_at is not None:
        return render_template("lms/roster/result.html", batch=batch, outcome=batch_outcome(batch))
    return _render_preview(batch, plan_batch(batch, user), ConfirmForm())


@require_user
def confirm(user, token):
    batch = _batch(user, token)
    form = ConfirmForm()
    only_good_rows = form.only_good_rows.data
    if batch.applied_at is None:
        plan = plan_batch(batch, user)
        if plan.errors and not only_good_rows:
            return _refuse_errors(batch, plan, form)
        if is_large(plan):
            job = start_import(batch, user, only_good_rows)
            db.session.commit()
            return redirect(url_for("lms.jobs.show", job_id=job.id), 303)
    confirmed = apply_batch(batch, user, only_good_rows=only_good_rows)
    if confirmed.plan is not None and confirmed.outcome is None:  # rows turned bad since the check above
        return _refuse_errors(batch, confirmed.plan, form)
    return redirect(url_for("lms.roster.preview", token=token))


def _refuse_errors(batch, plan, form):
    flash(_("Nothing was imported: the file has rows with errors. Fix them and upload the file again, or "
            "choose to import only the good rows."), "error")
    return _render_preview(batch, plan, form, 400)


@require_user
def template(user):
    """An empty export with the headers the import reads, with a byte-order mark for Excel."""
    _require_importer(user)
    return Response(csv_text(TEMPLATE_HEADERS, ()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="people-import-template.csv"'})



def field_label(key):
    """A person's field as the preview names it."""
    return {"display_name": _("Name"), "employee_id": _("Employee id"), "email": _("E-mail"),
            "username": _("Username"), "role": _("Role"), "locale": _("Language"), "site": _("Site"),
            "team": _("Team"), "hired_on": _("Hire date"), "coach_of": _("Coach of"), "active": _("Active")}[key]


def field_value(key, value):
    """A field's value as short text: dates in the reader's calendar, roles in their language."""
    if value is None or value == "" or value == []:
        return "–"
    if key == "role":
        return {"agent": _("agent"), "coach": _("coach"), "manager": _("manager"), "admin": _("admin")}[value]
    if key == "locale":
        return {"en": "English", "fa": "فارسی"}.get(value, value)
    if key == "hired_on":
        return format_day(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)

