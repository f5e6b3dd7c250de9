"""What the people feature brings to the plugin (see lms/features.py)."""

from ..features import Feature
from .blueprint import bp
from .passwords import change_own_password
from .services import update_account

#: The account page (accounts) changes a person's own details and password by these rules.
FEATURE = Feature("people", blueprint=bp,
                  answers={"change_own_password": change_own_password, "update_account": update_account})
