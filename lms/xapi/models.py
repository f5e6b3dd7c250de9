"""Who a person is in the statements: a random name per person, kept here, so the LRS holds
no e-mail, username or database id, and the name never changes (unlike an e-mail)."""

import uuid

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .. import db
from ..db import Base


class XapiActor(Base):
    __tablename__ = "lms_xapi_actor"

    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(36), unique=True)  # a random UUID


def actor_name(user_id):
    """The person's pseudonymous account name, created on first use (in a savepoint, so a
    concurrent request creating it too costs nothing)."""
    name = db.session.scalar(select(XapiActor.name).where(XapiActor.user_id == user_id))
    if name is not None:
        return name
    try:
        with db.session.begin_nested():
            db.session.add(XapiActor(user_id=user_id, name=str(uuid.uuid4())))
    except IntegrityError:
        pass
    return db.session.scalar(select(XapiActor.name).where(XapiActor.user_id == user_id))
