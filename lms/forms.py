"""The base of the plugin's forms."""

from flask_wtf import FlaskForm


class PluginForm(FlaskForm):
    """A form of the plugin: its CSRF token is checked once, for every plugin POST, by
    security.check_csrf (before any view runs), so the form does not check it again."""

    class Meta:
        csrf = False
