"""Small helpers shared by the coaching tests (run inside an app context)."""

from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User


def users(*ids):
    return [db.session.get(User, i) for i in ids]


def catalog(app):
    return app.extensions["lms"].catalog


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))
