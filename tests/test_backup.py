"""Backup, restore and copy-data: every plugin table comes back row for row, on either engine
and across engines, all or nothing."""

import json
import os
import zipfile

import pytest
from sqlalchemy import create_engine, event, select

from lms import db
from lms.accounts.models import LoginThrottle, Site
from lms.accounts.services import create_user, get_or_create_site
from lms.backup import transfer
from lms.backup.archive import MANIFEST, member
from lms.backup.tables import plugin_tables, read_rows
from lms.backup.transfer import copy_data
from lms.db import Base, sqlite_pragmas, with_driver
from lms.evidence import Evidence
from lms.gaps.models import EvidenceCell
from lms.migrate import upgrade

from .backup_world import NOW, build_world, gap_report, rows_of
from .conftest import PASSWORD, reset_schema


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
