"""Coaching forms. Choices that depend on the viewer (their agents, the catalogue) are set
by the view; who may be assigned what is checked by the rules, not by the form."""

from wtforms import SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ..days import DayField
from ..forms import PluginForm
from ..i18n import lazy_gettext as _l
from ..params import form_id


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class AssignForm(PluginForm):
    target = SelectField(_l("What to do"), validators=[InputRequired(_l("Choose what to assign."))],
                         validate_choice=False)
    teams = CheckboxesField(_l("Whole teams"), coerce=form_id, validate_choice=False)
    agents = CheckboxesField(_l("Agents"), coerce=form_id, validate_choice=False)
    due_on = DayField(_l("Due date"), validators=[InputRequired(_l("Give a due date."))])
    note = TextAreaField(_l("Note for the agent"), validators=[Length(max=1000)])


class HelpForm(PluginForm):
    question = TextAreaField(_l("Your question"), validators=[
        DataRequired(_l("Write your question.")), Length(max=2000)])


class AnswerForm(PluginForm):
    answer = TextAreaField(_l("Your answer"), validators=[DataRequired(_l("Write an answer.")), Length(max=4000)])


#: What a 1:1 can remedy (GAP_MODEL.md): a belief gap, or a support gap by a practice session.
GAPS = {"": _l("No particular gap"), "belief": _l("A belief gap: why it matters"),
        "support": _l("A support gap: a practice session")}


class OneOnOneForm(PluginForm):
    topic = SelectField(_l("Topic"), validators=[InputRequired()])
    held_on = DayField(_l("Held on"), validators=[InputRequired(_l("Give the date of the conversation."))])
    discussed = TextAreaField(_l("What you discussed"), validators=[
        DataRequired(_l("Say what you discussed.")), Length(max=4000)])
    next_step = TextAreaField(_l("Agreed next step"), validators=[
        DataRequired(_l("Write the next step you agreed on.")), Length(max=1000)])
    # Which gap of the topic it remedies, so the effectiveness page can follow that cell.
    gap = SelectField(_l("The gap it was for"), default="", choices=[
        SelectChoice(value, label) for value, label in GAPS.items()])
