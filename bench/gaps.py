"""Benchmark of the gap computation on a synthetic site.

    python bench/gaps.py                      # 10,000 agents, ~2 million evidence rows, SQLite
    python bench/gaps.py --agents 1000        # smaller
    python bench/gaps.py --database-url postgresql://postgres@127.0.0.1:5432/test

Measures, in one run: the full-site gap computation, one team's gap page through the test
client, one 50-agent team's PDF, and as the floor a plain SQL GROUP BY (agent, topic,
dimension) over the same rows. Prints its figures; the last line is machine-readable.
"""

import argparse
import os
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from common import fresh_app, settle, timed  # noqa: E402
from lms import db  # noqa: E402
from lms.accounts.models import Site, Team, TeamCoach, User  # noqa: E402
from lms.catalog import DIMENSIONS, TOPICS  # noqa: E402
from lms.db import utcnow  # noqa: E402
from lms.gaps.folding import rebuild  # noqa: E402
from lms.evidence import Evidence  # noqa: E402
from lms.gaps.reports import site_report  # noqa: E402
from lms.gaps.scoring import GapSettings  # noqa: E402

TEAM_SIZE = 50
CHUNK = 50_000


def build_site(agents, rows_per_agent, seed=7):
    """Fill the database with one site, its teams, agents, one coach and the evidence."""
    rng = random.Random(seed)
    now = utcnow()
    site = Site(name="Bench site")
    db.session.add(site)
    db.session.flush()
    teams = [Team(name=f"Team {i:03d}", site_id=site.id) for i in range(max(1, agents // TEAM_SIZE))]
    db.session.add_all(teams)
    db.session.flush()
    coach = User(username="bench-coach", display_name="Bench Coach", role="manager", locale="en", site_id=site.id,
                 active=True, created_at=now - timedelta(days=400))
    coach.set_password("bench-password")
    db.session.add(coach)
    db.session.flush()
    db.session.execute(insert(TeamCoach), [{"team_id": teams[0].id, "user_id": coach.id}])
    db.session.execute(insert(User), [
        {"username": f"agent{i}", "display_name": f"Agent {i:05d}", "role": "agent", "locale": "en",
         "site_id": site.id, "team_id": teams[i % len(teams)].id, "active": True,
         "created_at": now - timedelta(days=rng.randint(20, 400))} for i in range(agents)])
    user_ids = db.session.scalars(select(User.id).where(User.role == "agent")).all()
    cells = [(t, d) for t in TOPICS for d in DIMENSIONS]
    batch, written = [], 0
    for user_id in user_ids:
        skill = rng.random()
        for k in range(rows_per_agent):
            topic, dimension = rng.choice(cells)
            batch.append({"user_id": user_id, "item_id": f"item-{k % 40}", "topic": topic, "dimension": dimension,
                          "value": 1.0 if rng.random() < skill + 0.2 else 0.0,
                          "source": "roleplay" if k % 7 == 0 else "quiz", "source_id": f"{user_id}-{k}",
                          "content_version": "bench", "created_at": now - timedelta(minutes=rng.randint(0, 260_000))})
            if len(batch) >= CHUNK:
                db.session.execute(insert(Evidence), batch)
                written += len(batch)
                batch = []
    if batch:
        db.session.execute(insert(Evidence), batch)
        written += len(batch)
    db.session.commit()
    return site.id, teams[0].id, written


def site_options(parser):
    """The options of a benchmark on this synthetic site: its size and the database."""
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--rows-per-agent", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    return parser


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args = site_options(parser).parse_args()

    workdir = tempfile.mkdtemp(prefix="lms-bench-")
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    app = fresh_app(url)
    with app.app_context():
        engine = db.session.get_bind()
        started = time.perf_counter()
        site_id, team_id, rows = build_site(args.agents, args.rows_per_agent)
        print(f"built {args.agents} agents and {rows} evidence rows on {engine.dialect.name} "
              f"in {time.perf_counter() - started:.1f} s")
        settle(engine)

        settings = GapSettings()
        floor_s, _ = timed("floor: plain GROUP BY (agent, topic, dimension)", lambda: db.session.execute(
            select(Evidence.user_id, Evidence.topic, Evidence.dimension, func.avg(Evidence.value), func.count())
            .group_by(Evidence.user_id, Evidence.topic, Evidence.dimension)).all())
        full_s, report = timed("full-site gap computation (today's report)",
                               lambda: site_report(db.session, site_id, settings))
        print(f"  (report holds {len(report.agents)} agents; {sum(1 for a in report.agents for _ in a.grid.gaps())} gaps)")
        # Not in the last line, but worth knowing: a report as of a past day folds every
        # evidence row itself, and a change of half-life folds the site's sums again.
        yesterday = utcnow() - timedelta(days=1)
        timed("full site as of yesterday (every row folded)", lambda: site_report(db.session, site_id, settings, yesterday), 1)
        timed("fold the site's running sums again (a change of half-life)", lambda: rebuild(db.session), 1)
        db.session.commit()

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"username": "bench-coach", "password": "bench-password", "csrf_token": token})
    page_s, response = timed("one team's gap page (test client)", lambda: client.get(f"/gaps/teams/{team_id}"), 5)
    assert response.status_code == 200, response.status_code
    pdf_s, response = timed(f"one {TEAM_SIZE}-agent team's PDF", lambda: client.get(f"/gaps/teams/{team_id}/report.pdf"))
    assert response.mimetype == "application/pdf"

    ratio = full_s / floor_s if floor_s else float("inf")
    print(f"gaps: agents={args.agents} rows={rows} full_site_s={full_s:.2f} floor_s={floor_s:.2f} "
          f"ratio={ratio:.2f} team_page_ms={page_s * 1000:.0f} team_pdf_s={pdf_s:.2f}")


if __name__ == "__main__":
    main()
