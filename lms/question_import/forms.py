"""The upload form. CSRF is checked once for every plugin POST (security.check_csrf)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..catalog.schema import TOPICS
from ..forms import PluginForm
from ..gaps.presenters import TOPIC_SHORT
from ..i18n import lazy_gettext as _l


class ImportForm(PluginForm):
    file = FileField(_l("The question file (GIFT or Moodle XML, up to 2 MB)"),
                     validators=[FileRequired(_l("Choose the file to upload."))])
    format = SelectField(_l("Format"), choices={"gift": "GIFT", "moodle-xml": "Moodle XML"})
    topic = SelectField(_l("Topic of questions whose category names none of ours"), default="",
                        choices=[SelectChoice("", _l("None: every category names a topic"))]
                        + [SelectChoice(topic, TOPIC_SHORT[topic]) for topic in TOPICS])
