"""Sign-in form. CSRF is checked for every plugin POST (security.check_csrf), so the
form carries the token but does not check it a second time."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..i18n import lazy_gettext as _l


class LoginForm(FlaskForm):
    class Meta:
        csrf = False  # checked once, for every plugin POST, in security.check_csrf

    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
