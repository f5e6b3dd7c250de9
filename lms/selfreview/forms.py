"""The self-review form: the call as the agent describes it. The rubric's scores are read by
the role-plays' own rule (roleplays.engine.rubric_scores), as a coach's review reads them."""

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ..days import DayField
from ..forms import PluginForm
from ..i18n import lazy_gettext as _l
from .models import CHANNELS
from .services import REFERENCE_MAX, REFLECTION_MAX, TRANSCRIPT_MAX

CHANNEL_TITLES = {"phone": _l("Phone call"), "chat": _l("Chat"), "email": _l("E-mail"), "social": _l("Social media")}


class SelfReviewForm(PluginForm):
    reference = StringField(_l("Call or ticket reference"), validators=[
        DataRequired(_l("Give the call's reference, so your coach can find it.")), Length(max=REFERENCE_MAX)],
        render_kw={"dir": "ltr", "maxlength": REFERENCE_MAX})
    call_on = DayField(_l("Date of the call"), validators=[InputRequired(_l("Give the date of the call."))])
    channel = SelectField(_l("Channel"), choices=[SelectChoice(c, CHANNEL_TITLES[c]) for c in CHANNELS])
    transcript = TextAreaField(_l("Transcript or notes"), validators=[
        DataRequired(_l("Paste the transcript or write notes of the call.")),
        Length(max=TRANSCRIPT_MAX, message=_l("Keep the transcript to %(max)d characters: the part that matters."))],
        render_kw={"rows": 10, "maxlength": TRANSCRIPT_MAX})
    differently = TextAreaField(_l("What would you do differently?"), validators=[
        DataRequired(_l("Write what you would do differently next time.")), Length(max=REFLECTION_MAX)],
        render_kw={"rows": 4, "maxlength": REFLECTION_MAX})
