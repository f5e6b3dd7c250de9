"""The audit trail: changes are recorded with who, when, before and after; nothing recorded can
be changed through the app; a manager reads their site's events only; CSV for spreadsheets."""

import pytest
from sqlalchemy import select

from lms import db
from lms.accounts.models import User
from lms.audit import trail
from lms.audit.models import AuditEvent, AuditIsAppendOnly
from lms.credentials import issuing

from .conftest import signed_in, token_for


@pytest.fixture
def people(make_user):
    return {
        "sara": make_user("sara", team="Alborz"),
        "far": make_user("far", team="Far team", site="Other site"),
        "manager": make_user("manager", role="manager"),
        "admin": make_user("admin", role="admin"),
    }


def _issue(app, username):
    with app.app_context():
        person = db.session.scalar(select(User).where(User.username == username))
        code = issuing.issue(person, "module", "communication", {"en": "Communication"}).code
        db.session.commit()  # issuing writes in the caller's transaction
        return code


def test_a_revoke_is_recorded_with_its_reason_and_the_status_before_and_after(app, people):
    code = _issue(app, "sara")
    manager = signed_in(app, "manager")
    manager.post(f"/manage/certificates/{code}/revoke",
                 data={"reason": "issued to the wrong Sara", "csrf_token": token_for(manager, "/manage/certificates")})
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "certificate.revoked"))
        assert (event.actor_id, event.person_id, event.target) == (people["manager"], people["sara"],
                                                                   f"certificate:{code}")
        assert (event.before, event.after, event.reason) == ({"status": "valid"}, {"status": "revoked"},
                                                             "issued to the wrong Sara")
    page = manager.get("/admin/audit/?kind=certificates").get_data(as_text=True)
    assert "Certificate revoked" in page and "issued to the wrong Sara" in page and "Certificate issued" in page


def test_a_refused_change_records_nothing(app, people):
    code = _issue(app, "sara")
    manager = signed_in(app, "manager")
    answer = manager.post(f"/manage/certificates/{code}/revoke",
                          data={"reason": " ", "csrf_token": token_for(manager, "/manage/certificates")})
    assert answer.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.kind == "certificate.revoked")) is None


def test_events_cannot_be_changed_or_deleted_through_the_app(app, people):
    _issue(app, "sara")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent))
        event.reason = "covering tracks"
        with pytest.raises(AuditIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AuditEvent)))
        with pytest.raises(AuditIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent.reason)) is None


def test_a_manager_reads_only_their_sites_events_and_an_admin_every_sites(app, people):
    _issue(app, "sara")
    _issue(app, "far")
    manager_page = signed_in(app, "manager").get("/admin/audit/").get_data(as_text=True)
    admin_page = signed_in(app, "admin").get("/admin/audit/").get_data(as_text=True)
    assert "Sara" in manager_page and "Far" not in manager_page
    assert "Sara" in admin_page and "Far" in admin_page
    assert signed_in(app, "sara").get("/admin/audit/").status_code == 403


def test_the_filters_narrow_by_person_kind_and_date(app, people):
    _issue(app, "sara")
    _issue(app, "far")
    admin = signed_in(app, "admin")
    assert "Far" not in admin.get("/admin/audit/?person=sar").get_data(as_text=True)
    assert "Certificate issued" not in admin.get("/admin/audit/?kind=assignments").get_data(as_text=True)
    assert "Certificate issued" not in admin.get("/admin/audit/?to=2020-01-01").get_data(as_text=True)
    assert admin.get("/admin/audit/?kind=nonsense").status_code == 400
    assert admin.get("/admin/audit/?from=2026-02-01&to=2026-01-01").status_code == 400


def test_the_csv_has_a_byte_order_mark_and_json_before_and_after(app, people):
    with app.app_context():
        sara = db.session.get(User, people["sara"])
        trail.record("person.changed", db.session.get(User, people["admin"]), sara, f"person:{sara.id}",
                     before={"role": "agent", "name": "=cmd"}, after={"role": "coach", "name": "سارا"})
        db.session.commit()
    answer = signed_in(app, "admin").get("/admin/audit/trail.csv?kind=people")
    text = answer.get_data(as_text=True)
    assert answer.mimetype == "text/csv" and text.startswith("\ufeffat,kind,")
    assert '"{""name"": ""=cmd"", ""role"": ""agent""}"' in text and "سارا" in text


def test_paging_shows_older_events(app, people):
    with app.app_context():
        admin = db.session.get(User, people["admin"])
        trail.record_many([trail.event_row("settings.gaps", admin, target=f"site:{n}", after={"n": n})
                           for n in range(105)])
        db.session.commit()
    client = signed_in(app, "admin")
    first = client.get("/admin/audit/").get_data(as_text=True)
    second = client.get("/admin/audit/?page=2").get_data(as_text=True)
    assert "page=2" in first and first.count("Gap settings changed") == 100
    assert second.count("Gap settings changed") == 5 and "page=3" not in second


def test_the_person_filter_takes_percent_and_underscore_as_typed(app, people):
    _issue(app, "sara")
    manager = signed_in(app, "manager")
    assert "Certificate issued" in manager.get("/admin/audit/?person=sar").get_data(as_text=True)
    assert "Certificate issued" not in manager.get("/admin/audit/?person=s_ra").get_data(as_text=True)
    assert "Certificate issued" not in manager.get("/admin/audit/?person=%25").get_data(as_text=True)
