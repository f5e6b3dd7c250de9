"""Sign-in and account forms. CSRF is checked for every plugin POST (security.check_csrf), so the
form carries the token but does not check it a second time."""

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import PluginForm
from ..i18n import lazy_gettext as _l


class LoginForm(PluginForm):
    username = StringField(_l("Username or e-mail"), validators=[
        DataRequired(_l("Enter your username or e-mail address.")), Length(max=200)], render_kw={"dir": "ltr"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class AccountForm(PluginForm):
    email = StringField(_l("E-mail"), validators=[Length(max=200)], render_kw={"dir": "ltr"})
    wants_email = BooleanField(_l("Send me the daily digest by e-mail"))
    locale = SelectField(_l("Language"), choices={"en": "English", "fa": "فارسی"})


class PasswordForm(PluginForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")), Length(min=10, message=_l("Use at least 10 characters."))])
    again = PasswordField(_l("New password again"), validators=[
        EqualTo("new", message=_l("The two new passwords differ."))])
