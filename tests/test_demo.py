"""The demo site tells a consistent story: nothing a person did comes before their hire date
or after now, and the new hire on day 1 has nothing overdue."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.coaching.models import Assignment, HelpRequest, OneOnOne
from lms.coaching.todo import todo_for
from lms.config import PROJECT_ROOT
from lms.db import utcnow
from lms.evidence import Evidence
from lms.learning.models import LessonRead, QuizAttempt
from lms.pulse.models import PulseReceipt
from lms.recognition.models import Praise
from lms.roleplays.models import RoleplayRun

from .conftest import make_app

#: Every moment the demo records for a person, as (model, column).
MOMENTS = [(LessonRead, "read_at"), (QuizAttempt, "started_at"), (QuizAttempt, "closed_at"),
           (Evidence, "created_at"), (HelpRequest, "created_at"), (HelpRequest, "answered_at"),
           (Assignment, "created_at"), (RoleplayRun, "started_at"), (RoleplayRun, "finished_at"),
           (Praise, "created_at"), (Praise, "acknowledged_at")]


@pytest.fixture
def demo(app, tmp_path):
    """The demo built on the shipped curriculum, in the test database (``app`` empties it after;
    built once for both checks, as it takes a minute)."""
    shipped = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, LMS_CONTENT_ROOT=str(PROJECT_ROOT))
    assert shipped.test_cli_runner().invoke(args=["lms", "demo"]).exit_code == 0
    yield shipped
    with shipped.app_context():
        shipped.extensions["sqlalchemy"].engine.dispose()


def test_nothing_comes_before_a_hire_date_or_after_now_and_the_day_1_hire_has_nothing_overdue(demo):
    with demo.test_request_context():
        hired = {u.id: u.hired_on for u in db.session.scalars(select(User).where(User.hired_on.is_not(None)))}
        now = utcnow()
        early = []
        for model, column in MOMENTS:
            for user_id, moment in db.session.execute(select(model.user_id, getattr(model, column))):
                if moment is not None and user_id in hired and not (
                        datetime.combine(hired[user_id], time()) <= moment <= now):
                    early.append((model.__name__, column, user_id, moment))
        for model, day in ((OneOnOne, OneOnOne.held_on), (Assignment, Assignment.due_on),
                           (Praise, Praise.received_on)):
            early += [(model.__name__, user_id, on) for user_id, on in db.session.execute(select(model.user_id, day))
                      if user_id in hired and on < hired[user_id]]
        period = demo.extensions["lms"].catalog.pulse.period_days
        early += [("pulse", r.user_id, r.period_start) for r in db.session.scalars(select(PulseReceipt))
                  if r.period_start + timedelta(days=period - 1) < hired[r.user_id]]
        assert early == []

        sara = db.session.scalar(select(User).where(User.username == "sara"))
        today = date.today()
        assert sara.hired_on == today  # day 1, as the README says
        todos = todo_for(demo.extensions["lms"].catalog, sara, today)
        assert todos and [t.title for t in todos if t.overdue(today)] == []

        # Customers' praise a newcomer can see: leaders' and colleagues' records, one waiting
        # for its coach's acknowledgement, and a support signal for each one a leader backed.
        praises = db.session.scalars(select(Praise)).all()
        assert len(praises) >= 4 and sum(not p.backed for p in praises) == 1
        signals = db.session.scalars(select(Evidence.source_id).where(Evidence.source == "praise")).all()
        assert sorted(signals) == sorted(str(p.id) for p in praises if p.backed)


def test_the_demo_site_shows_remedies_that_closed_their_gap_and_some_still_open(demo):
    with demo.app_context():
        from lms.accounts.models import Site
        from lms.effect.outcomes import effectiveness

        found = effectiveness(db.session.scalar(select(Site)))
    closed = [o for o in found.outcomes if o.closed_at is not None]
    still_open = [o for o in found.outcomes if o.closed_at is None]
    assert len(closed) >= 2 and len(still_open) >= 2
    assert {o.cause for o in found.outcomes} == {"knowledge", "belief", "support"}
    assert all(o.after > o.before for o in closed)
