"""The upload and confirm forms. CSRF is checked once for every plugin POST
(security.check_csrf), so these forms do not check it again."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField

from ..forms import PluginForm
from ..i18n import lazy_gettext as _l


class UploadForm(PluginForm):
    file = FileField(_l("The HR export (CSV or Excel .xlsx, up to 5 MB)"),
                     validators=[FileRequired(_l("Choose the file to upload."))])
    # Admins only: a manager's rows go to their own site.
    site_id = SelectField(_l("Site for rows that name none"), coerce=str, default="")
    full_roster = BooleanField(_l("This file lists everyone: deactivate the active people of its sites who are "
                                  "not in it"))


class ConfirmForm(PluginForm):
    only_good_rows = BooleanField(_l("Import only the good rows and leave out the rows with errors"))
