"""The platform registration form: it only carries values; platforms.save_platform checks them."""

from wtforms import SelectField, StringField, TextAreaField

from ..forms import PluginForm
from ..i18n import lazy_gettext as _l
from ..params import optional_form_id
from ..people.forms import LEFT_TO_RIGHT


class PlatformForm(PluginForm):
    name = StringField(_l("Name"))
    issuer = StringField(_l("Issuer"), render_kw=LEFT_TO_RIGHT)
    client_id = StringField(_l("Client id"), render_kw=LEFT_TO_RIGHT)
    auth_login_url = StringField(_l("Authentication (OIDC) URL"), render_kw=LEFT_TO_RIGHT)
    auth_token_url = StringField(_l("Access token URL"), render_kw=LEFT_TO_RIGHT)
    key_set_url = StringField(_l("Public key set (JWKS) URL"), render_kw=LEFT_TO_RIGHT)
    audience = StringField(_l("Access token audience (if not the token URL)"), render_kw=LEFT_TO_RIGHT)
    deployment_ids = TextAreaField(_l("Deployment ids, one a line"), render_kw=LEFT_TO_RIGHT)
    site_id = SelectField(_l("Site"), coerce=optional_form_id, validate_choice=False)
