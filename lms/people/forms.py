"""The admin forms for people, teams and sites. They only carry the values: the rules (field
formats, unique keys, who may give which role) are in services.py, whose errors the views put
back on the fields."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..coaching.forms import CheckboxesField
from ..days import DayField
from ..forms import PluginForm
from ..i18n import lazy_gettext as _l
from ..params import form_id, optional_form_id

#: Usernames, e-mail addresses and employee ids read left to right even in a Persian page.
LEFT_TO_RIGHT = {"dir": "ltr"}


class PersonForm(PluginForm):
    display_name = StringField(_l("Name"), validators=[Length(max=200)])
    username = StringField(_l("Username"), validators=[Length(max=200)], render_kw=LEFT_TO_RIGHT)
    email = StringField(_l("E-mail"), validators=[Length(max=200)], render_kw=LEFT_TO_RIGHT)
    employee_id = StringField(_l("Employee id"), validators=[Length(max=100)], render_kw=LEFT_TO_RIGHT)
    role = SelectField(_l("Role"), validate_choice=False)
    site_id = SelectField(_l("Site"), coerce=optional_form_id, validate_choice=False)
    team_id = SelectField(_l("Team"), coerce=optional_form_id, validate_choice=False)
    coach_of = CheckboxesField(_l("Teams they coach"), coerce=form_id, validate_choice=False)
    hired_on = DayField(_l("Hire date"))
    locale = SelectField(_l("Language"), choices={"en": "English", "fa": "فارسی"}, validate_choice=False)
    wants_email = BooleanField(_l("Sends the daily digest by e-mail"), default=True)


class ReasonForm(PluginForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason.")), Length(max=500)])


class NameForm(PluginForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("A name is needed.")), Length(max=200)])


class TeamForm(NameForm):
    site_id = SelectField(_l("Site"), coerce=optional_form_id, validate_choice=False)


class CoachForm(PluginForm):
    coach_id = SelectField(_l("Coach"), coerce=optional_form_id, validate_choice=False,
                           validators=[DataRequired(_l("Choose a coach."))])
