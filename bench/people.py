"""Benchmark of the people import from an HR export.

    python bench/people.py                    # 10,000 people, SQLite
    python bench/people.py --rows 2000
    LMS_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/people.py

Writes a CSV of realistic Persian and English names across 3 sites and 30 teams, imports it
into an empty database the way ``flask lms people import`` does (read, plan, apply, commit),
then imports it again, which must change nothing, and times the admin's people page (first page,
a page deep in the list, a search) through the test client. On SQLite, and on PostgreSQL too when
LMS_BENCH_DATABASE_URL is set. Prints its figures; the last line is machine-readable (the
first import, on the slowest engine).
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from common import fresh_app  # noqa: E402
from lms import db  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.accounts.services import create_user  # noqa: E402
from lms.audit.models import AuditEvent  # noqa: E402
from lms.roster.applying import apply_plan  # noqa: E402
from lms.roster.planning import plan_import  # noqa: E402
from lms.roster.reading import read_roster  # noqa: E402

FIRST = {"en": ["Sara", "Omid", "Neda", "Arash", "Mina", "Kaveh", "Laleh", "Babak", "Shirin", "Dariush"],
         "fa": ["سارا", "امید", "ندا", "آرش", "مینا", "کاوه", "لاله", "بابک", "شیرین", "داریوش", "پریسا", "رضا"]}
LAST = {"en": ["Ahmadi", "Jafari", "Sadeghi", "Rostami", "Karimi", "Hosseini", "Moradi", "Rahimi", "Nouri"],
        "fa": ["احمدی", "جعفری", "صادقی", "رستمی", "کریمی", "حسینی", "مرادی", "رحیمی", "نوری", "محمدی"]}
SITES = {"Tehran": "Alborz Zagros Damavand Sabalan Dena Taftan Alvand Binalood Karkas Sahand".split(),
         "Shiraz": "Zand Eram Hafez Saadi Pars Vakil Afif Qavam Delgosha Khajoo".split(),
         "Tabriz": "Arg Elgoli Kandovan Maqbareh Rasteh Eynali Jolfa Marand Ahar Sarab".split()}
HEADER = ["employee id", "name", "email", "role", "site", "team", "hire date", "language"]


def roster_csv(rows, seed=12):
    """``rows`` people: a UTF-8 CSV with a byte-order mark, as Excel saves one."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    places = [(site, team) for site, teams in SITES.items() for team in teams]
    for i in range(rows):
        lang = "fa" if i % 3 else "en"
        site, team = places[i % len(places)]
        role = "coach" if i % 50 == 0 else "agent"
        hired = (f"{rng.randint(1398, 1404)}/{rng.randint(1, 12):02d}/{rng.randint(1, 29):02d}" if lang == "fa"
                 else f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        writer.writerow([f"E{100000 + i}", f"{rng.choice(FIRST[lang])} {rng.choice(LAST[lang])}",
                         f"person{i}@roshan.example", role, site, team, hired, lang])
    return out.getvalue().encode("utf-8")


def import_once(content):
    """Read, plan, apply and commit as the command does; the plan and the seconds taken."""
    started = time.perf_counter()
    plan = plan_import(read_roster("people.csv", content))
    apply_plan(plan, None, "people.csv")
    db.session.commit()
    return plan, time.perf_counter() - started


PAGES = {"first page": "/admin/people/", "page 100": "/admin/people/?page=100",
         "search": "/admin/people/?q=rostami"}


def page_ms(app, runs=15):
    """Median milliseconds of each people page, asked by an admin."""
    with app.app_context():
        admin = create_user("bench-admin", "bench-password-1", "Bench Admin", role="admin")
        db.session.commit()
        admin_id = admin.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(admin_id)
    timings = {}
    for name, url in PAGES.items():
        runs_ms = []
        for _ in range(runs):
            started = time.perf_counter()
            assert client.get(url).status_code == 200, url
            runs_ms.append((time.perf_counter() - started) * 1000)
        timings[name] = sorted(runs_ms)[runs // 2]
    return timings


def bench(url, content, rows):
    app = fresh_app(url)
    with app.app_context():
        first, import_s = import_once(content)
        assert not first.errors and len(first.creates) == rows, first.errors[:5]
        again, reimport_s = import_once(content)
        assert again.unchanged == rows and not again.writes, "the second import must change nothing"
        people = db.session.scalar(select(func.count()).select_from(User))
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
        assert people == rows
        db.session.remove()
    pages = page_ms(app)
    with app.app_context():
        db.session.remove()
        app.extensions["sqlalchemy"].engine.dispose()
    return import_s, reimport_s, events, pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    content = roster_csv(args.rows)
    engines = {"sqlite": f"sqlite:///{tempfile.mkdtemp(prefix='lms-bench-people-')}/bench.sqlite3"}
    if os.environ.get("LMS_BENCH_DATABASE_URL"):
        engines["postgresql"] = os.environ["LMS_BENCH_DATABASE_URL"]
    print(f"  file: {args.rows} rows, {len(content) / 1024:.0f} KiB, 3 sites, 30 teams")
    slowest, slowest_page = 0.0, 0.0
    for name, url in engines.items():
        import_s, reimport_s, events, pages = bench(url, content, args.rows)
        slowest, slowest_page = max(slowest, import_s), max(slowest_page, *pages.values())
        print(f"  {name}: import {import_s:.2f} s ({args.rows / import_s:.0f} rows/s, {events} audit rows), "
              f"same file again {reimport_s:.2f} s, all unchanged")
        print(f"  {name}: people page " + ", ".join(f"{page} {ms:.0f} ms" for page, ms in pages.items())
              + " (median)")
    print(f"people: rows={args.rows} import_s={slowest:.2f} page_ms={slowest_page:.0f}")


if __name__ == "__main__":
    main()
