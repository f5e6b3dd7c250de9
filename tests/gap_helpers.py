"""Evidence for the gap tests: rows as the app stores them, and a clean slate between
hypothesis examples (function-scoped fixtures run once per test, not once per example)."""

from datetime import timedelta

from lms import db
from lms.accounts.models import User
from lms.evidence import Evidence


def evidence(user_id, rows, now):
    """rows: (topic, dimension, value, age in days, source) -> Evidence column values."""
    return [{"user_id": user_id, "item_id": f"i{i}", "topic": t, "dimension": d, "value": v, "source": src,
             "source_id": f"{user_id}-{i}", "content_version": "v", "created_at": now - timedelta(days=age)}
            for i, (t, d, v, age, src) in enumerate(rows)]


def forget_everyone(app):
    """Delete every person and their evidence (their cells go with them)."""
    with app.app_context():
        db.session.execute(Evidence.__table__.delete())
        db.session.execute(User.__table__.delete())
        db.session.commit()
