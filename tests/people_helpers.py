"""Shared by the people tests: an admin, two sites' managers, a coach and agents; finders."""

import pytest
from sqlalchemy import select

from lms import db
from lms.audit.models import AuditEvent


@pytest.fixture
def people(make_user):
    """An admin; Tehran with a manager, a coach of Alborz and an agent; Shiraz with a manager."""
    return {
        "admin": make_user("admin", role="admin", site="Tehran"),
        "manager": make_user("manager", role="manager", site="Tehran"),
        "coach": make_user("maryam", role="coach", site="Tehran", coach_of=("Alborz",)),
        "sara": make_user("sara", team="Alborz", site="Tehran"),
        "far": make_user("far", role="manager", site="Shiraz"),
        "shirazi": make_user("shirazi", team="Hafez", site="Shiraz"),
    }


def get(model, **where):
    return db.session.scalar(select(model).filter_by(**where))


def events(kind):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.id)).all()


def values(**changes):
    base = {"display_name": "Nima Rad", "username": "nima", "email": "Nima@Example.com", "employee_id": "E-7",
            "role": "agent", "site_id": None, "team_id": None, "hired_on": "1405/01/01", "locale": "fa",
            "wants_email": True}
    return {**base, **changes}
