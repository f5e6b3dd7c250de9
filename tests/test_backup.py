"""Backup, restore and copy-data: every plugin table comes back row for row, on either engine
and across engines, all or nothing."""

import json
import os
import zipfile
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, event, select

from lms import db
from lms.accounts.models import ImportBatch, LoginThrottle, Site, TeamCoach
from lms.accounts.services import create_user, get_or_create_site, get_or_create_team
from lms.db import sqlite_pragmas, with_driver
from lms.audit.models import AuditEvent
from lms.backup import transfer
from lms.backup.archive import MANIFEST, member
from lms.backup.tables import kind_of, plugin_tables, read_rows
from lms.backup.transfer import copy_data
from lms.coaching.models import (
    Assignment, DigestSent, HelpRequest, Notification, OneOnOne, PracticeRound, SpacedItem,
)
from lms.credentials.models import Certificate
from lms.db import Base
from lms.effect.models import GapRemedy
from lms.evidence import Evidence
from lms.gaps.models import EvidenceCell, GapSetting
from lms.gaps.reports import site_settings, team_report
from lms.item_analysis.models import ItemSnapshot
from lms.jobs.models import Job
from lms.keys.models import SigningKey
from lms.learning.models import AttemptAnswer, AttemptScore, LessonRead, ModuleCompletion, QuizAttempt
from lms.lti.models import LtiAccount, LtiContext, LtiPlatform, LtiScoreRoute, LtiState
from lms.migrate import upgrade
from lms.outbox.models import Delivery
from lms.pulse.models import CultureReceipt, CultureTally, PulseReceipt, PulseTally
from lms.recognition.models import Praise
from lms.roleplays.models import ReplyReview, RoleplayRun, RoleplayStep
from lms.selfreview.models import CallReview
from lms.xapi.models import XapiActor

from .conftest import PASSWORD, reset_schema

NOW = datetime(2026, 11, 20, 9, 30, 15, 123456)
TODAY = NOW.date()


def build_world():
    """A site with a row in every plugin table, as the app writes them."""
    s = db.session
    site = get_or_create_site("Tehran")
    team = get_or_create_team("Alborz", site)
    s.add(GapSetting(site_id=site.id, threshold=0.55, half_life_days=21.5, min_evidence=2, review_window_days=14,
                     followup_days=7, help_window_days=3, updated_at=NOW))
    coach = create_user("maryam", PASSWORD, "Maryam", role="coach", site=site)
    sara = create_user("sara", PASSWORD, "سارا احمدی", team=team, site=site, locale="fa", email="sara@example.com")
    omid = create_user("omid", PASSWORD, "Omid", team=team, site=site)
    s.flush()
    sara.hired_on, sara.session_token, omid.active, omid.deactivated_at = date(2026, 9, 1), "tok-1", True, None
    s.add(TeamCoach(team_id=team.id, user_id=coach.id))
    s.add_all([
        # JSON null (explicit None) and SQL NULL (never set) must stay apart.
        AuditEvent(at=NOW, kind="role", actor_id=coach.id, actor_name="Maryam", person_id=sara.id,
                   person_name="Sara", site_id=site.id, target="role", before=None, after={"role": "agent"}),
        AuditEvent(at=NOW, kind="note", actor_name="system", target="-", reason="multi\nline ✓"),
        Delivery(channel="xapi", key="k1", payload={"verb": "passed", "score": 0.5, "nested": [1, None]},
                 created_at=NOW, attempts=2, next_try_at=NOW + timedelta(minutes=5), last_error="503"),
        Job(kind="export", key="j1", args={"team": team.id}, state="done", user_id=sara.id, created_at=NOW,
            finished_at=NOW, progress=3, total=3, result_file="exports/x.csv"),
        LoginThrottle(key="ip:127.0.0.1", count=3, window_start=NOW),
        LtiState(key="state-1", value=json.dumps({"nonce": "n"}), expires_at=NOW),
        SigningKey(kid="kid-1", alg="ES256", private_pem="-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
                   created_at=NOW),
        PulseTally(team_id=team.id, period_start=date(2026, 11, 1), item_id="p1", topic="product", reversed=True,
                   answer=4, count=5),
        PulseReceipt(user_id=sara.id, team_id=team.id, period_start=date(2026, 11, 1)),
        CultureTally(site_id=site.id, team_id=None, period_start=date(2026, 11, 1), item_id="c1", lens="rewards",
                     reversed=False, answer=2, count=5),
        CultureReceipt(user_id=sara.id, site_id=site.id, team_id=team.id, period_start=date(2026, 11, 1)),
        Assignment(user_id=sara.id, assigned_by_id=coach.id, kind="quiz", target_id="q1", topic="product",
                   due_on=TODAY, note="please", created_at=NOW),
        DigestSent(user_id=sara.id, day=TODAY, sent_at=NOW),
        HelpRequest(user_id=sara.id, subject_kind="item", subject_id="i1", topic="product", question="why?",
                    created_at=NOW, answer="because", answered_by_id=coach.id, answered_at=NOW),
        ImportBatch(token="t1", uploaded_by_id=coach.id, site_id=site.id, filename="roster.xlsx",
                    content=bytes(range(256)), full_roster=False, created_at=NOW),
        LessonRead(user_id=sara.id, lesson_id="l1", lesson_version=2, read_at=NOW),
        Notification(user_id=sara.id, kind="assigned", params={"title": {"en": "Quiz", "fa": "آزمون"}},
                     endpoint="lms.learning.quiz", endpoint_args={"quiz_id": "q1"}, created_at=NOW),
        OneOnOne(user_id=sara.id, coach_id=coach.id, topic="product", held_on=TODAY, discussed="d", next_step="n",
                 created_at=NOW),
        PracticeRound(user_id=sara.id, taken_at=NOW, answers=[{"item": "i1", "response": None, "value": 1.0}]),
        SpacedItem(user_id=sara.id, item_id="i1", topic="product", reviews=2, streak=1, due_on=TODAY),
        XapiActor(user_id=sara.id, name="Sara"),
        Praise(user_id=sara.id, recorded_by_id=omid.id, by_leader=False, said="Kind and quick ✓", channel="chat",
               topic="product", received_on=TODAY, case_ref=None, created_at=NOW, acknowledged_by_id=coach.id,
               acknowledged_at=NOW),
        CallReview(user_id=sara.id, roleplay_id="rp1", topic="communication", version="v1",
                   criteria=[{"id": "empathy", "dimension": "belief", "name": {"en": "Empathy", "fa": "همدلی"}}],
                   reference="TCK-1", call_on=TODAY, channel="phone", transcript="Customer: hello\nAgent: hi",
                   self_scores={"empathy": 2}, differently="listen", created_at=NOW, coach_id=coach.id,
                   coach_scores={"empathy": 1}, coach_comment=None, calibrated_at=NOW),
    ])
    attempt = QuizAttempt(user_id=sara.id, quiz_id="q1", quiz_version="v1", topic="product", status="graded",
                          started_at=NOW, closed_at=NOW, points=1.5, max_points=2.0, score=0.75, passed=True)
    run = RoleplayRun(user_id=sara.id, roleplay_id="rp1", topic="communication", version="v1", status="finished",
                      current_node="end", outcome="good", shuffle_seed=7, started_at=NOW, finished_at=NOW)
    platform = LtiPlatform(name="Moodle", issuer="https://lms.example", client_id="c", auth_login_url="https://a",
                           auth_token_url="https://t", key_set_url="https://k", deployment_ids=["d1"], site_id=site.id)
    s.add_all([attempt, run, platform])
    s.flush()
    step = RoleplayStep(run_id=run.id, seq=1, node_id="n1", typed_reply="Hello", persona_correct=None, created_at=NOW)
    s.add_all([
        AttemptAnswer(attempt_id=attempt.id, item_id="i1", position=0, option_order=[2, 0, 1], response='"b"',
                      saved_at=NOW, value=1.0, points=1.0, rest_score=0.5),
        AttemptScore(attempt_id=attempt.id, topic="product", dimension="knowledge", items=2, points=1.5,
                     points_sq=1.25, max_points=2.0),
        ModuleCompletion(user_id=sara.id, module_id="m1", attempt_id=attempt.id, completed_at=NOW),
        LtiContext(platform_id=platform.id, context_id="ctx", title="Course", team_id=team.id, deployment_id="d1"),
        LtiAccount(issuer=platform.issuer, sub="sub-1", platform_id=platform.id, user_id=sara.id),
        LtiScoreRoute(user_id=sara.id, activity="q1", platform_id=platform.id, sub="sub-1"),
        GapRemedy(user_id=sara.id, coach_id=coach.id, topic="product", dimension="knowledge", kind="assignment",
                  assignment_id=s.scalar(select(Assignment.id)), score_before=0.41, evidence_before=4,
                  status_before="gap", created_at=NOW),
        step,
        ItemSnapshot(taken_at=NOW, sums={"histogram": [["i1", '"b"', 1.0, 0.5, "fa", 3]], "quizzes": [], "groups": []}),
    ])
    s.flush()
    s.add(ReplyReview(step_id=step.id, coach_id=coach.id, scores={"empathy": 2}, max_points=4, reviewed_at=NOW))
    # A certificate renewed by a later one: a row pointing to a row written after it.
    old = Certificate(code="C-OLD", user_id=sara.id, kind="module", subject_id="m1", recipient_name="Sara",
                      title={"en": "Module 1"}, issued_at=NOW - timedelta(days=400), status_index=1)
    s.add(old)
    s.flush()
    old.renewed_by_id = old.id  # as credentials.issuing.renew does, before its successor has an id
    s.flush()
    new = Certificate(code="C-NEW", user_id=sara.id, kind="module", subject_id="m1", recipient_name="Sara",
                      title={"en": "Module 1"}, issued_at=NOW, issued_by=coach.id, status_index=2)
    s.add(new)
    s.flush()
    old.renewed_by_id = new.id
    # Evidence: the database folds it into lms_evidence_cell as it is written.
    for i, (user, topic, dimension, value, days, source) in enumerate([
            (sara, "product", "knowledge", 0.2, 1, "quiz"), (sara, "product", "knowledge", 0.4, 40, "quiz"),
            (sara, "communication", "support", 0.9, 3, "roleplay"), (omid, "product", "knowledge", 1.0, 2, "quiz")]):
        s.add(Evidence(user_id=user.id, item_id=f"i{i}", topic=topic, dimension=dimension, value=value,
                       source=source, source_id=str(i), content_version="v", created_at=NOW - timedelta(days=days)))
    s.commit()
    return team.id


def normalised(connection):
    """Every plugin table's rows, JSON columns parsed (JSON null kept apart from SQL NULL)."""
    tables = {}
    for table in plugin_tables():
        json_columns = {c.name for c in table.columns if kind_of(c) == "json"}
        tables[table.name] = [{name: ("json", json.loads(value)) if name in json_columns and value is not None
                               else value for name, value in row.items()} for row in read_rows(connection, table)]
    return tables


def rows_of(engine):
    with engine.connect() as connection:
        return normalised(connection)


def gap_report(team_id):
    team_site = db.session.scalar(select(Site.id))
    return team_report(db.session, team_id, site_settings(db.session, team_site), now=NOW + timedelta(days=1))


@pytest.fixture
def world(app):
    """The world built in the test database; its engine, its rows and its team's gap report."""
    with app.app_context():
        team_id = build_world()
        engine = db.session.get_bind()
        rows = rows_of(engine)
        report = gap_report(team_id)
        db.session.remove()
    yield engine, rows, team_id, report
    with app.app_context():  # a test that dropped the tables leaves them for the next
        db.session.remove()
        upgrade()


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["lms", *args])
    return result.exit_code, result.output


@pytest.fixture
def archive(app, world, tmp_path):
    """The world backed up with `flask lms backup`."""
    path = tmp_path / "site.zip"
    code, output = run(app, "backup", str(path))
    assert code == 0, output
    assert "lms_user: 3" in output
    return path


def changed_after_backup(app, engine):
    """The rows after a change made since the backup (the sign-in throttle forgotten)."""
    with app.app_context():
        db.session.execute(LoginThrottle.__table__.delete())
        db.session.commit()
    return rows_of(engine)


def test_the_world_covers_every_plugin_table(world):
    _engine, rows, _team, _report = world
    assert [name for name in Base.metadata.tables if not rows[name]] == []
    audit = rows["lms_audit_event"]
    assert {row["before"] for row in audit if row["before"] is None or row["before"][1] is None} == {None, ("json", None)}


def test_backup_then_restore_into_an_empty_database_brings_back_every_row(app, world, archive):
    engine, rows, team_id, report = world
    assert oct(os.stat(archive).st_mode & 0o777) == "0o600"  # it holds password hashes and keys
    reset_schema(engine)

    code, output = run(app, "restore", str(archive))
    assert code == 0, output
    assert rows_of(engine) == rows
    with app.app_context():
        assert gap_report(team_id) == report
        # New rows get fresh ids (PostgreSQL's sequences moved on), and the evidence trigger is back.
        site = Site(name="Shiraz")
        db.session.add(site)
        sara = db.session.scalar(select(Evidence.user_id).where(Evidence.source == "roleplay"))
        db.session.add(Evidence(user_id=sara, item_id="new", topic="product", dimension="knowledge", value=1.0,
                                source="quiz", source_id="new", content_version="v", created_at=NOW))
        db.session.commit()
        assert site.id > max(row["id"] for row in rows["lms_site"])
        cell = db.session.get(EvidenceCell, (sara, "product", "knowledge"))
        assert cell.n == 3


def test_a_backup_holds_the_site_as_it_was_when_the_backup_began(app, world, tmp_path, monkeypatch):
    # The site goes on writing while a backup runs: a change committed once the backup has begun
    # (here, just before it reads its first table) is in none of the archive's tables.
    engine, rows, _team, _report = world
    read = []

    def read_while_the_site_writes(connection, table):
        if not read:
            assert changed_after_backup(app, engine) != rows  # committed, seen by everyone else
        read.append(table.name)
        return read_rows(connection, table)

    monkeypatch.setattr(transfer, "read_rows", read_while_the_site_writes)
    path = tmp_path / "during.zip"
    code, output = run(app, "backup", str(path))
    assert code == 0, output
    assert LoginThrottle.__tablename__ in read
    reset_schema(engine)
    code, output = run(app, "restore", str(path))
    assert code == 0, output
    assert rows_of(engine) == rows


def test_a_database_with_data_is_refused_unless_replace_is_given(app, world, archive):
    engine, rows, _team, _report = world
    changed = changed_after_backup(app, engine)

    code, output = run(app, "restore", str(archive))
    assert code == 1 and "already holds CX Academy data" in output and "--replace" in output
    assert rows_of(engine) == changed

    code, output = run(app, "restore", "--replace", str(archive))
    assert code == 0, output
    assert rows_of(engine) == rows


def emptied(engine):
    """The plugin's tables left in place, without rows (as after `flask lms migrate`)."""
    with engine.begin() as connection:
        for table in reversed(plugin_tables()):
            connection.execute(table.delete())


def rewritten(source, target, edit):
    """A copy of the archive ``source`` with ``edit(name, bytes) -> bytes`` applied to each member (None: left out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if (data := edit(name, old.read(name))) is not None:
                new.writestr(name, data)
    return target


def test_a_restore_that_fails_part_way_leaves_the_database_as_it_was(app, world, archive, tmp_path):
    engine, _rows, _team, _report = world
    before = changed_after_backup(app, engine)
    last = plugin_tables()[-1].name

    # A row that breaks a unique key, in the last table written: the database refuses it
    # after every other table went in, and all of it is undone.
    def twice(name, data):
        if name == member(last):
            return data + data.splitlines(keepends=True)[0]
        if name == MANIFEST:
            manifest = json.loads(data)
            next(t for t in manifest["tables"] if t["name"] == last)["rows"] += 1
            return json.dumps(manifest).encode()
        return data

    twice = rewritten(archive, tmp_path / "twice.zip", twice)
    code, output = run(app, "restore", "--replace", str(twice))
    assert code == 1 and "Nothing was written; the database said:" in output
    assert rows_of(engine) == before

    # A line that is not JSON: refused before anything is touched, named by file, table and line.
    broken = rewritten(archive, tmp_path / "broken.zip",
                       lambda name, data: data + b"{not json\n" if name == member(last) else data)
    code, output = run(app, "restore", "--replace", str(broken))
    assert code == 1 and f"broken.zip: table {last}, line 2:" in output
    # A JSON column whose text is not JSON, a date that is not one.
    for table, column, value in [("lms_audit_event", "after", "{broken"), ("lms_user", "created_at", "yesterday")]:
        def spoilt(name, data, table=table, column=column, value=value):
            if name != member(table):
                return data
            first, rest = data.split(b"\n", 1)
            return json.dumps({**json.loads(first), column: value}).encode() + b"\n" + rest
        code, output = run(app, "restore", "--replace", str(rewritten(archive, tmp_path / "spoilt.zip", spoilt)))
        assert code == 1 and f"spoilt.zip: table {table}, line 1:" in output, output
    assert rows_of(engine) == before

    # Into an empty database too, whose evidence trigger (paused while rows go in) stays.
    emptied(engine)
    code, output = run(app, "restore", str(twice))
    assert code == 1 and "Nothing was written; the database said:" in output
    assert not any(rows_of(engine).values())
    with app.app_context():
        user = create_user("neda", PASSWORD, "Neda", site=get_or_create_site("Tehran"))
        db.session.flush()
        db.session.add(Evidence(user_id=user.id, item_id="i", topic="product", dimension="knowledge", value=1.0,
                                source="quiz", source_id="1", content_version="v", created_at=NOW))
        db.session.commit()
        assert db.session.get(EvidenceCell, (user.id, "product", "knowledge")).n == 1


def test_archives_of_another_format_or_a_newer_version_are_refused(app, world, archive, tmp_path):
    engine, rows, _team, _report = world

    def manifest_with(**changes):
        return lambda name, data: json.dumps({**json.loads(data), **changes}).encode() if name == MANIFEST else data

    for changes, message in [({"format_version": 2}, "is a backup of format 2"),
                             ({"revision": "zzzz9999"}, "was made by a newer CX Academy"),
                             ({"format": "other"}, "is not a CX Academy backup")]:
        code, output = run(app, "restore", "--replace", str(rewritten(archive, tmp_path / "x.zip", manifest_with(**changes))))
        assert code == 1 and message in output, output
    (tmp_path / "plain.txt").write_text("hello")
    code, output = run(app, "restore", str(tmp_path / "plain.txt"))
    assert code == 1 and "plain.txt is not a CX Academy backup" in output
    assert rows_of(engine) == rows


def sqlite_engine(path):
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def test_copy_data_to_a_sqlite_file_copies_every_row(app, world, tmp_path):
    _engine, rows, _team, _report = world
    target = tmp_path / "copy.sqlite3"
    code, output = run(app, "copy-data", "--to", f"sqlite:///{target}")
    assert code == 0, output
    assert "lms_user: 3" in output and f"Copied {sum(map(len, rows.values()))} rows in {len(rows)} tables." in output
    copy = sqlite_engine(target)
    assert rows_of(copy) == rows

    code, output = run(app, "copy-data", "--to", f"sqlite:///{target}")
    assert code == 1 and "already holds CX Academy data" in output
    copy.dispose()


@pytest.fixture
def second_engine():
    url = os.environ.get("LMS_TEST_SECOND_DATABASE_URL")
    if not url:
        pytest.skip("LMS_TEST_SECOND_DATABASE_URL is not set: copying between two databases needs a second one")
    engine = create_engine(with_driver(url))
    reset_schema(engine)
    yield engine
    reset_schema(engine)
    engine.dispose()


def test_copy_data_across_engines_and_back(app, world, second_engine, tmp_path):
    engine, rows, _team, _report = world
    code, output = run(app, "copy-data", "--to", second_engine.url.render_as_string(hide_password=False))
    assert code == 0, output
    assert rows_of(second_engine) == rows

    back = sqlite_engine(tmp_path / "back.sqlite3")
    copy_data(second_engine, back)
    assert rows_of(back) == rows
    back.dispose()


@pytest.mark.parametrize("wipe", [reset_schema, emptied], ids=["no tables", "empty tables"])
def test_an_archive_of_an_older_revision_is_restored_then_brought_up_to_date(app, world, archive, tmp_path, wipe):
    engine, rows, _team, _report = world
    wipe(engine)

    # As made before background jobs came (authx0001): none of the tables made since.
    newer = ("lms_job", "lms_praise", "lms_call_review", "lms_culture_receipt", "lms_culture_tally", "lms_gap_remedy",
             "lms_item_snapshot")

    def before_jobs(name, data):
        if name in {member(table) for table in newer}:
            return None
        if name == MANIFEST:
            manifest = json.loads(data)
            manifest["revision"] = "authx0001"
            manifest["tables"] = [t for t in manifest["tables"] if t["name"] not in newer]
            return json.dumps(manifest).encode()
        return data

    old = rewritten(archive, tmp_path / "old.zip", before_jobs)
    code, output = run(app, "restore", str(old))
    assert code == 0, output
    assert rows_of(engine) == {**rows, **dict.fromkeys(newer, [])}
