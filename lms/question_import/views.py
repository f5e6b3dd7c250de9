"""The import page: upload a GIFT or Moodle XML file, read the report, download the draft file
(the server's content folder is not written from the web: an admin adds the file to it)."""

from flask import Response, abort, render_template, request
from werkzeug.utils import secure_filename

from ..accounts.identity import require_user
from ..accounts.permissions import can_import_questions
from ..content import current_catalog
from ..i18n import _
from .forms import ImportForm
from .importing import ImportFailed, plan_import

MAX_BYTES = 2 * 1024 * 1024


@require_user
def upload(user):
    if not can_import_questions(user):
        abort(403, _("Importing questions is for admins."))
    form, report = ImportForm(), None
    if form.validate_on_submit():
        name = secure_filename(form.file.data.filename or "") or "questions.txt"
        data = form.file.data.read(MAX_BYTES + 1)
        catalog = current_catalog()
        taken = set(catalog.items) | {item.id for items in catalog.drafts.values() for item in items}
        try:
            if len(data) > MAX_BYTES:
                raise ImportFailed([_("The file is larger than 2 MB.")])
            report, text = plan_import(name, data, form.format.data, form.topic.data or None, taken=taken)
        except ImportFailed as error:
            form.file.errors.extend(error.problems)
        else:
            if "download" in request.form and text is not None:
                filename = name.rsplit(".", 1)[0] + ".yaml"
                return Response(text, mimetype="application/yaml",
                                headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    return render_template("lms/question_import/upload.html", form=form, report=report), \
        400 if form.errors else 200
