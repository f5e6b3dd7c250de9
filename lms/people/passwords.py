"""Passwords an admin hands out (a reset, or the first ones of an import's new people) and the
one each person chooses on the account page. A handed-out password is returned once, never
stored or logged in clear, and must be replaced at the next sign-in."""

import secrets

from sqlalchemy import func, select

from .. import db
from ..accounts.models import User
from ..accounts.permissions import can_edit_person, can_manage_sites, managed_site_id
from ..audit import trail
from ..i18n import _
from ..values import Invalid
from .errors import refuse_unless

#: No 0/O, 1/l/I: a temporary password is read aloud or copied from a screen.
_READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password():
    """Twelve readable characters in three groups, e.g. ``k7pm-2qxa-9fhe``."""
    return "-".join("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(3))


def reset_password(person, by, reason=None):
    """A new temporary password, returned once and never stored or logged in clear; the
    person must replace it when they next sign in."""
    if by is not None:
        refuse_unless(can_edit_person(by, person), _("You cannot change this person."))
    password = temporary_password()
    person.set_password(password)
    person.must_change_password = True
    trail.record("person.password_reset", actor=by, person=person, target=f"person:{person.id}", reason=reason)
    return password


#: Each first password costs a password hash (tens of milliseconds): a request hands out at
#: most this many, and a larger intake asks again for the rest.
FIRST_PASSWORDS_AT_ONCE = 300


def without_password(by=None, site_id=None):
    """Active people who have never had a password (imported from the HR export) and sign in
    here rather than through a host application: those ``by`` may edit, or of ``site_id``."""
    query = select(User).where(User.active.is_(True), User.password_hash.is_(None), User.external_id.is_(None))
    site_id = site_id if by is None else managed_site_id(by)
    if site_id is not None:
        query = query.where(User.site_id == site_id)
    if by is not None and not can_manage_sites(by):
        query = query.where(User.role != "admin")
    return query.order_by(User.display_name, User.id)


def count_without_password(by):
    return db.session.scalar(select(func.count()).select_from(without_password(by).subquery()))


def first_passwords(by, site_id=None, limit=FIRST_PASSWORDS_AT_ONCE):
    """Temporary passwords for up to ``limit`` people who have none yet, each audited like a
    reset: [(person, password)]. The caller commits and hands the list over once."""
    people = db.session.scalars(without_password(by, site_id).limit(limit)).all()
    return [(person, reset_password(person, by, reason="first password")) for person in people]


def change_own_password(person, current, new):
    """The account page: the current password, then a new one of at least 10 characters."""
    if not person.check_password(current):
        raise Invalid({"current": _("That is not your current password.")})
    if len(new) < 10:
        raise Invalid({"new": _("Use at least 10 characters.")})
    if person.check_password(new):
        raise Invalid({"new": _("Choose a password different from the current one.")})
    person.set_password(new)
