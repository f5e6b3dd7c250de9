"""The praise form: it carries what was typed; rules.check_praise decides what may be stored
(required fields, lengths, a date not in the future), so the same rules hold for any caller."""

from wtforms import SelectField, StringField, TextAreaField

from ..days import DayField
from ..forms import PluginForm
from ..i18n import lazy_gettext as _l


class PraiseForm(PluginForm):
    said = TextAreaField(_l("What the customer said"))
    channel = SelectField(_l("Channel"), validate_choice=False)
    topic = SelectField(_l("What they praised"), validate_choice=False)
    received_on = DayField(_l("Date"))
    case_ref = StringField(_l("Case reference (optional)"), render_kw={"dir": "ltr"})
