"""Evidence of what people know and do, written by the features that see it (quizzes,
re-quizzes, role-plays, coach reviews) and read by gaps. Only this module writes it: record()
a row, record_all() a quiz's rows at once."""

from sqlalchemy import insert

from .. import db
from .models import Evidence, epoch_day

__all__ = ["Evidence", "epoch_day", "record", "record_all"]


def record(user_id, item_id, topic, dimension, value, source, source_id, content_version, at):
    """Add one evidence row to the caller's transaction (the unique (source, source_id, item)
    makes the same answer count once); the row."""
    row = Evidence(user_id=user_id, item_id=item_id, topic=topic, dimension=dimension, value=value,
                   source=source, source_id=str(source_id), content_version=content_version, created_at=at)
    db.session.add(row)
    return row


def record_all(rows):
    """Add evidence rows (each a dict of Evidence's columns) to the caller's transaction in
    one statement run for each row, on the table (no ORM object, nor its bulk layer): a
    quiz's answers at once."""
    if rows:
        db.session.execute(insert(Evidence.__table__), [dict(row, source_id=str(row["source_id"])) for row in rows])
