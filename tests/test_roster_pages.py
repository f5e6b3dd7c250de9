"""People import through its pages: upload, preview, confirm once, who may open a batch, and
how long an upload is kept."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from lms import db
from lms.accounts.models import ImportBatch, User
from lms.audit.models import AuditEvent
from lms.db import utcnow
from lms.jobs.models import Job
from lms.roster.batches import store_batch

from .conftest import signed_in, token_for
from .test_roster import PEOPLE, count, csv_bytes, person, run


# -- the pages ---------------------------------------------------------------------------------

def upload(client, content, filename="hr.csv", **fields):
    """Post the file as a browser would. The body is encoded in memory: the test client's own
    encoder spools a large one to a temporary file it never closes."""
    token = token_for(client, "/admin/import/")
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(io.BytesIO(content), filename),
                                       **fields})
    return client.post("/admin/import/", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def admin(app, make_user):
    make_user("admin", role="admin", site="Tehran")
    return signed_in(app, "admin")


def test_upload_preview_confirm_and_a_second_confirm_writes_nothing(app, admin):
    rows = [PEOPLE[0], PEOPLE[1][:6] + ["1404/13/01", ""], PEOPLE[2]]
    answer = upload(admin, csv_bytes(rows))
    assert answer.status_code == 302
    preview_url = answer.headers["Location"]
    page = admin.get(preview_url).get_data(as_text=True)
    assert "Rows with errors" in page and "hire date" in page and "There is no such day as 1404/13/01." in page
    assert "Sara Ahmadi" in page and "Neda Sadeghi" in page
    csrf = token_for(admin, preview_url)
    refused = admin.post(preview_url, data={"csrf_token": csrf})
    assert refused.status_code == 400 and "Nothing was imported" in refused.get_data(as_text=True)
    with app.app_context():
        assert count(User, User.employee_id.is_not(None)) == 0
        assert db.session.scalar(select(ImportBatch.applied_at)) is None
    done = admin.post(preview_url, data={"csrf_token": csrf, "only_good_rows": "y"})
    assert done.status_code == 302
    result = admin.get(preview_url).get_data(as_text=True)
    assert "People imported" in result and "no password yet" in result
    with app.app_context():  # someone edits Sara after the import; a late second click must not undo it
        applied_at = db.session.scalar(select(ImportBatch.applied_at))
        person("1001").role = "coach"
        db.session.commit()
    again = admin.post(preview_url, data={"csrf_token": csrf, "only_good_rows": "y"})
    assert again.status_code == 302
    with app.app_context():
        assert count(User, User.employee_id.is_not(None)) == 2 and person("1001").role == "coach"
        assert db.session.scalar(select(ImportBatch.applied_at)) == applied_at
        assert count(AuditEvent, AuditEvent.kind == "people.imported") == 1


def test_a_large_import_is_a_job_whose_page_leads_to_the_result(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_IMPORT_JOB_THRESHOLD", 2)  # three new people: large
    preview_url = upload(admin, csv_bytes(PEOPLE)).headers["Location"]
    csrf = token_for(admin, preview_url)
    started = admin.post(preview_url, data={"csrf_token": csrf})
    assert started.status_code == 303 and "/jobs/" in started.headers["Location"]
    job_page = admin.get(started.headers["Location"]).get_data(as_text=True)  # run at its commit (eager)
    assert "People import" in job_page and "Done" in job_page and f'href="{preview_url}"' in job_page
    status = admin.get(started.headers["Location"] + "/status.json").get_json()
    assert (status["state"], status["result"], status["download"]) == ("done", preview_url, None)
    assert "People imported" in admin.get(preview_url).get_data(as_text=True)
    again = admin.post(preview_url, data={"csrf_token": csrf})  # a late second click
    assert again.status_code == 302 and again.headers["Location"] == preview_url
    with app.app_context():
        assert count(User, User.employee_id.is_not(None)) == 3
        assert count(AuditEvent, AuditEvent.kind == "people.imported") == 1


def test_a_large_import_with_errors_is_refused_before_any_job(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_IMPORT_JOB_THRESHOLD", 0)
    preview_url = upload(admin, csv_bytes([PEOPLE[0], PEOPLE[1][:6] + ["1404/13/01", ""]])).headers["Location"]
    refused = admin.post(preview_url, data={"csrf_token": token_for(admin, preview_url)})
    assert refused.status_code == 400 and "Nothing was imported" in refused.get_data(as_text=True)
    with app.app_context():
        assert count(Job) == 0 and count(User, User.employee_id.is_not(None)) == 0


def test_confirms_at_once_from_several_tabs_import_once(app, admin):
    preview_url = upload(admin, csv_bytes(PEOPLE)).headers["Location"]
    clients = [signed_in(app, "admin") for _ in range(6)]
    tokens = [token_for(c, preview_url) for c in clients]
    barrier = threading.Barrier(len(clients))

    def confirm(client, token):
        barrier.wait()
        return client.post(preview_url, data={"csrf_token": token}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        assert list(pool.map(confirm, clients, tokens)) == [302] * len(clients)
    with app.app_context():
        assert count(AuditEvent, AuditEvent.kind == "people.imported") == 1
        assert count(AuditEvent, AuditEvent.kind == "person.created") == count(User, User.employee_id.is_not(None)) == 3


def test_a_change_made_after_the_preview_is_planned_again_at_confirm(app, admin):
    preview_url = upload(admin, csv_bytes(PEOPLE)).headers["Location"]
    csrf = token_for(admin, preview_url)
    with app.app_context():
        run(PEOPLE[:1])  # someone else imports Sara in the meantime
    assert admin.post(preview_url, data={"csrf_token": csrf}).status_code == 302
    with app.app_context():
        summary = db.session.scalar(select(AuditEvent).where(AuditEvent.target.like("import:batch-%")))
        assert (summary.after["created"], summary.after["unchanged"]) == (2, 1)


@pytest.mark.parametrize("filename,content,status,message", [
    ("hr.csv", b"", 400, "The file is empty."),
    ("hr.docx", b"PK\x03\x04", 400, "CSV file or an Excel workbook"),
    ("hr.csv", b"a,b\n" + b"1" * (5 * 1024 * 1024 + 10), 400, "larger than 5 MB"),
])
def test_an_unusable_upload_says_why_and_stores_nothing(app, admin, filename, content, status, message):
    answer = upload(admin, content, filename)
    assert answer.status_code == status and message in answer.get_data(as_text=True)
    with app.app_context():
        assert count(ImportBatch) == 0


def test_the_template_has_a_byte_order_mark_and_english_headers(admin):
    answer = admin.get("/admin/import/template.csv")
    assert answer.mimetype == "text/csv"
    assert answer.data.startswith("\ufeffemployee id,name,email,role,site,team".encode())


def test_agents_coaches_and_other_sites_managers_are_refused(app, make_user, admin):
    make_user("agent1")
    make_user("coach1", role="coach", coach_of=("Alborz",))
    make_user("mgr.tehran", role="manager", site="Tehran")
    make_user("mgr.kish", role="manager", site="Kish")
    for name in ("agent1", "coach1"):
        client = signed_in(app, name)
        assert client.get("/admin/import/").status_code == 403
        assert client.get("/admin/import/template.csv").status_code == 403
    tehran = signed_in(app, "mgr.tehran")
    preview_url = upload(tehran, csv_bytes([row[:4] + ["", ""] + row[6:] for row in PEOPLE])).headers["Location"]
    assert tehran.get(preview_url).status_code == 200
    kish = signed_in(app, "mgr.kish")
    assert kish.get(preview_url).status_code == 403
    assert kish.post(preview_url, data={"csrf_token": token_for(kish, "/admin/import/")}).status_code == 403
    assert signed_in(app, "coach1").get(preview_url).status_code == 403
    assert admin.get(preview_url).status_code == 200
    assert admin.get("/admin/import/no-such-token").status_code == 404
    with app.app_context():
        assert count(User, User.employee_id.is_not(None)) == 0


def test_a_manager_previews_their_site_only(app, make_user):
    make_user("mgr.tehran", role="manager", site="Tehran")
    client = signed_in(app, "mgr.tehran")
    page = client.get(upload(client, csv_bytes(PEOPLE)).headers["Location"]).get_data(as_text=True)
    assert "You may import people into your own site only" not in page  # every row names Tehran
    rows = [PEOPLE[0][:4] + ["Kish"] + PEOPLE[0][5:]]
    page = client.get(upload(client, csv_bytes(rows)).headers["Location"]).get_data(as_text=True)
    assert "You may import people into your own site only (Tehran)." in page


def test_an_upload_older_than_the_keep_days_goes_when_a_new_one_comes(app, make_user):
    make_user("admin", role="admin")
    now = utcnow()
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        store_batch(admin, "old.csv", b"name\nA\n", None, False, now=now - timedelta(days=8))
        store_batch(admin, "recent.csv", b"name\nB\n", None, False, now=now - timedelta(days=6))
        db.session.commit()
        store_batch(admin, "new.csv", b"name\nC\n", None, False, now=now)
        db.session.commit()
        assert sorted(db.session.scalars(select(ImportBatch.filename))) == ["new.csv", "recent.csv"]
