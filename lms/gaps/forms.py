"""The site's gap settings form."""

from wtforms import DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from ..forms import PluginForm
from ..i18n import lazy_gettext as _l


class GapSettingsForm(PluginForm):
    threshold = DecimalField(_l("Gap threshold (0.05 to 0.95)"), places=2,
                             validators=[InputRequired(), NumberRange(0.05, 0.95)])
    half_life_days = IntegerField(_l("Half-life of evidence, in days"), validators=[InputRequired(), NumberRange(1, 730)])
    min_evidence = IntegerField(_l("Minimum evidence before a cell is scored"),
                                validators=[InputRequired(), NumberRange(1, 100)])
    review_window_days = IntegerField(_l("Days a coach has to review a typed reply"),
                                      validators=[InputRequired(), NumberRange(1, 60)])
    followup_days = IntegerField(_l("Days a coach has to follow up a failed quiz or refresher"),
                                 validators=[InputRequired(), NumberRange(1, 60)])
    help_window_days = IntegerField(_l("Days a coach has to answer a help request"),
                                    validators=[InputRequired(), NumberRange(1, 30)])
