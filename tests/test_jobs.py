"""Background jobs: a job runs only once its request committed, is retried with growing waits
and then fails visibly, is one job however often it is asked for, is taken back from a worker
that died (its lease ran out), and a large certificate print becomes a job with a progress page
and a download that resumes from the parts it finished."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import db
from lms.credentials import printing
from lms.db import utcnow
from lms.jobs import queue
from lms.jobs.celery_app import beat_schedule
from lms.jobs.models import Job
from lms.jobs.schedule import enqueue_scheduled

from .conftest import signed_in, token_for
from .job_helpers import job_row, many_certificates
from .test_certificate_management import pdf_pages
from .test_certificate_lifecycle import at

RUNS = []


@pytest.fixture
def kinds():
    """Two kinds for the tests: "test.ok" notes its run; "test.flaky" fails ``fail`` times."""
    RUNS.clear()

    def ok(work):
        RUNS.append(("ok", work.id, work.attempt))

    def flaky(work):
        RUNS.append(("flaky", work.id, work.attempt))
        if work.attempt <= work.args["fail"]:
            raise ValueError(f"try {work.attempt} broke")

    queue.KINDS.update({"test.ok": ok, "test.flaky": flaky})
    yield
    for name in ("test.ok", "test.flaky"):
        queue.KINDS.pop(name)


def enqueue_and_commit(app, kind, args=None, **options):
    with app.app_context():
        job = queue.enqueue(kind, args, **options)
        db.session.commit()
        return job.id


# -- the state machine ---------------------------------------------------------------------

def test_a_job_runs_only_after_its_transaction_commits_and_never_after_a_rollback(app, kinds):
    with app.app_context():
        job = queue.enqueue("test.ok")
        assert RUNS == []  # not before the commit: a runner would not find the row
        db.session.commit()
        assert RUNS == [("ok", job.id, 1)]
        assert db.session.get(Job, job.id).state == "done"

        rolled_back = queue.enqueue("test.ok").id
        db.session.rollback()
        db.session.commit()  # a later commit does not run what was rolled back
        assert db.session.get(Job, rolled_back) is None and len(RUNS) == 1


def test_a_failing_job_is_retried_with_growing_waits_then_fails_with_its_error(app, kinds, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOB_MAX_ATTEMPTS", 3)
    before = utcnow()
    job_id = enqueue_and_commit(app, "test.flaky", {"fail": 5})
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.last_error) == ("queued", 1, "ValueError: try 1 broke")
    assert timedelta(seconds=30) <= job.next_try_at - before < timedelta(seconds=35)
    first_retry = job.next_try_at
    with app.app_context():
        assert queue.sweep()["due"] == 0  # not yet: it waits out its backoff
        with at(first_retry):
            queue.sweep()
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.last_error) == ("queued", 2, "ValueError: try 2 broke")
    assert job.next_try_at - first_retry == timedelta(seconds=60)  # twice the first wait
    with app.app_context():
        with at(job.next_try_at):
            queue.sweep()
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.last_error) == ("failed", 3, "ValueError: try 3 broke")
    with app.app_context():
        with at(utcnow() + timedelta(days=1)):
            queue.sweep()  # a failed job waits for a person
    assert [attempt for _kind, _id, attempt in RUNS] == [1, 2, 3]
    assert [queue.backoff(n).total_seconds() for n in (1, 2, 3, 10, 30)] == [30, 60, 120, 3600, 3600]


def test_a_job_that_succeeds_on_a_retry_is_done_without_its_old_error(app, kinds):
    job_id = enqueue_and_commit(app, "test.flaky", {"fail": 1})
    with app.app_context():
        with at(utcnow() + timedelta(minutes=1)):
            queue.sweep()
    job = job_row(app, job_id)
    assert (job.state, job.attempts, job.last_error, job.lease_until) == ("done", 2, None, None)


def test_the_same_key_is_one_job_run_once(app, kinds):
    first = enqueue_and_commit(app, "test.ok", key="same")
    second = enqueue_and_commit(app, "test.ok", key="same")
    assert first == second and RUNS == [("ok", first, 1)]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Job)) == 1
        assert queue.run(first) is None  # done: nobody claims it again


def test_a_job_whose_worker_died_is_taken_back_by_the_sweep_once_its_lease_runs_out(app, kinds, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "none")  # nobody runs it but the test
    job_id = enqueue_and_commit(app, "test.ok")
    with app.app_context():
        dead = queue.claim(job_id)  # a worker took it ... and was killed with -9
        assert dead.state == "running" and dead.lease_until > utcnow()
        assert queue.claim(job_id) is None  # nobody else may take it while the lease holds
        assert queue.sweep()["requeued"] == 0
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "eager")
    later = utcnow() + timedelta(seconds=app.config["LMS_JOB_LEASE_SECONDS"] + 1)
    with app.app_context():
        with at(later):
            assert queue.sweep() == {"requeued": 1, "failed": 0, "due": 1}
    job = job_row(app, job_id)
    assert (job.state, job.attempts) == ("done", 2) and RUNS == [("ok", job_id, 2)]


def test_a_worker_that_lost_its_lease_does_not_overwrite_the_one_that_took_over(app, kinds, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "none")
    job_id = enqueue_and_commit(app, "test.ok")
    with app.app_context():
        slow = queue.JobRun(queue.claim(job_id))
        later = utcnow() + timedelta(seconds=app.config["LMS_JOB_LEASE_SECONDS"] + 1)
        assert queue.run(job_id, now=later) == "done"  # another worker took it over and finished
        assert queue._finish(slow, state="failed", last_error="late") is None
        assert db.session.get(Job, job_id).state == "done"


def test_lost_on_its_last_try_a_job_fails_with_the_reason(app, kinds, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "none")
    monkeypatch.setitem(app.config, "LMS_JOB_MAX_ATTEMPTS", 1)
    job_id = enqueue_and_commit(app, "test.ok")
    with app.app_context():
        queue.claim(job_id)
        with at(utcnow() + timedelta(hours=1)):
            assert queue.sweep()["failed"] == 1
    job = job_row(app, job_id)
    assert (job.state, job.last_error) == ("failed", queue.LOST)


def test_without_a_broker_a_thread_of_the_web_process_runs_the_job(app, kinds, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "auto")  # no LMS_CELERY_BROKER_URL: a thread
    assert queue.runner(app) == "thread"
    ran = threading.Event()
    queue.KINDS["test.ok"] = lambda work: ran.set()
    job_id = enqueue_and_commit(app, "test.ok")
    assert ran.wait(10)
    for _ in range(100):  # the thread marks it done just after the work returned
        if job_row(app, job_id).state == "done":
            break
        threading.Event().wait(0.05)
    assert job_row(app, job_id).state == "done"


def test_with_a_broker_configured_jobs_go_to_celery(app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "auto")
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    assert queue.runner(app) == "celery"


def test_the_schedule_holds_the_sweep_the_nightly_refold_and_deliveries(app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_DIGEST_HOUR", 6)
    schedule = beat_schedule(app.config)
    assert schedule["lms-items.analyse"]["schedule"].hour == {3}
    assert schedule["lms-jobs-sweep"]["task"] == "lms.jobs.sweep"
    assert schedule["lms-gaps.refold"]["args"] == ("gaps.refold",)
    assert schedule["lms-coaching.digests"]["schedule"].hour == {6}
    assert schedule["lms-outbox.deliver"]["args"] == ("outbox.deliver",)
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "none")
    with app.app_context():
        first, again = enqueue_scheduled("gaps.refold"), enqueue_scheduled("gaps.refold")
        assert first.id == again.id and first.key == f"gaps.refold:{utcnow().date().isoformat()}"


# -- jobs the features start --------------------------------------------------------------

def test_a_change_of_half_life_refolds_the_site_in_a_job(app, make_user):
    make_user("manager", role="manager")
    manager = signed_in(app, "manager")
    response = manager.post("/gaps/settings", data={
        "threshold": "0.7", "half_life_days": "7", "min_evidence": "3", "review_window_days": "3",
        "followup_days": "7", "help_window_days": "2", "csrf_token": token_for(manager, "/gaps/settings")})
    assert response.status_code == 303
    with app.app_context():
        [job] = db.session.scalars(select(Job)).all()
        assert (job.kind, job.state, job.args["site_id"]) == ("gaps.refold", "done", job.args["site_id"])
        assert job.args["site_id"] is not None


@pytest.fixture
def printer(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_PRINT_JOB_THRESHOLD", 2)
    sara = make_user("sara", team="Alborz")
    make_user("manager", role="manager")
    make_user("other", role="manager", site="Other site")
    many_certificates(app, sara, 3)
    return signed_in(app, "manager")


def test_a_large_print_is_a_job_with_a_progress_page_and_a_download(app, printer, tmp_path):
    response = printer.get("/manage/certificates/print.pdf?status=valid")
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    page = printer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Certificate print" in page and "job.js" in page and "<script>" not in page
    assert "3 of 3" in page and "Done" in page
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    status = printer.get(f"/jobs/{job_id}/status.json").get_json()
    assert (status["state"], status["progress"], status["total"]) == ("done", 3, 3)
    with printer.get(status["download"]) as pdf:
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert len(pdf_pages(tmp_path, pdf.data)) == 3
    again = printer.get("/manage/certificates/print.pdf?status=valid")  # a reload: the same job
    assert again.headers["Location"] == response.headers["Location"]
    stranger = signed_in(app, "other")
    assert stranger.get(f"/jobs/{job_id}/status.json").status_code == 404
    assert stranger.get(status["download"]).status_code == 404


def test_a_print_stopped_midway_resumes_from_the_parts_it_finished(app, printer, monkeypatch, tmp_path):
    monkeypatch.setattr(printing, "JOB_PART", 1)
    laid_out = []
    real = printing.certificates_pdf

    def breaks_on_the_third(pages):
        laid_out.append(pages[0][0].id)
        if len(laid_out) == 3:
            raise OSError("worker went away")
        return real(pages)

    monkeypatch.setattr(printing, "certificates_pdf", breaks_on_the_third)
    job_id = int(printer.get("/manage/certificates/print.pdf").headers["Location"].rsplit("/", 1)[1])
    job = job_row(app, job_id)
    assert (job.state, job.progress, job.last_error) == ("queued", 2, "OSError: worker went away")
    with app.app_context():
        with at(job.next_try_at):
            queue.sweep()
    job = job_row(app, job_id)
    assert job.state == "done" and len(laid_out) == 4  # only the third again, not all three
    assert laid_out[2] == laid_out[3]
    with printer.get(f"/jobs/{job_id}/file") as pdf:
        assert len(pdf_pages(tmp_path, pdf.data)) == 3


def test_a_small_print_is_still_made_in_the_request(app, printer, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_PRINT_JOB_THRESHOLD", 50)
    response = printer.get("/manage/certificates/print.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with app.app_context():
        assert db.session.scalar(select(Job)) is None


# -- the admins' page ---------------------------------------------------------------------

def test_admins_see_failed_jobs_with_their_error_and_try_them_again(app, kinds, make_user, monkeypatch):
    make_user("admin", role="admin")
    make_user("manager", role="manager")
    monkeypatch.setitem(app.config, "LMS_JOB_MAX_ATTEMPTS", 1)
    job_id = enqueue_and_commit(app, "test.flaky", {"fail": 1})
    admin = signed_in(app, "admin")
    page = admin.get("/admin/jobs").get_data(as_text=True)
    assert "ValueError: try 1 broke" in page and f"/admin/jobs/{job_id}/retry" in page and "Failed" in page
    assert signed_in(app, "manager").get("/admin/jobs").status_code == 403
    assert admin.post(f"/admin/jobs/{job_id}/retry").status_code == 400  # no CSRF token
    queue.KINDS["test.flaky"] = queue.KINDS["test.ok"]  # what broke it is fixed
    response = admin.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": token_for(admin, "/admin/jobs")})
    assert response.status_code == 303
    job = job_row(app, job_id)
    assert (job.state, job.attempts) == ("done", 1)  # a fresh set of tries, and this one worked
    assert admin.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": token_for(admin, "/admin/jobs")}
                      ).status_code == 409


def test_the_admin_page_in_persian(app, kinds, make_user, monkeypatch):
    make_user("admin", role="admin", locale="fa")
    monkeypatch.setitem(app.config, "LMS_JOB_MAX_ATTEMPTS", 1)
    enqueue_and_commit(app, "test.flaky", {"fail": 1})
    page = signed_in(app, "admin").get("/admin/jobs").get_data(as_text=True)
    assert 'dir="rtl"' in page and "ValueError: try 1 broke" in page


def test_a_broker_that_is_down_loses_no_job_and_fails_no_request(app, kinds, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_JOBS_RUNNER", "celery")
    monkeypatch.setitem(app.config, "LMS_CELERY_BROKER_URL", "redis://127.0.0.1:1/0")  # nothing listens
    app.extensions.pop("lms_celery", None)
    try:
        job_id = enqueue_and_commit(app, "test.ok")
    finally:
        app.extensions.pop("lms_celery", None)
    assert job_row(app, job_id).state == "queued" and RUNS == []  # the sweep hands it over later
