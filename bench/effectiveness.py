"""Benchmark of the effectiveness page's computation (lms.effect.outcomes.effectiveness) on the
synthetic site of bench/gaps.py, with remedies for a share of its agents.

    python bench/effectiveness.py                      # 10,000 agents, SQLite
    python bench/effectiveness.py --database-url postgresql://postgres@127.0.0.1:5432/h_effect

The last line is machine-readable: ``effectiveness: agents=N remedies=M effectiveness_ms=...``.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from common import fresh_app, timed  # noqa: E402
from gaps import build_site  # noqa: E402
from lms import db  # noqa: E402
from lms.accounts.models import Site, User  # noqa: E402
from lms.catalog import TOPICS  # noqa: E402
from lms.coaching.models import Assignment, OneOnOne  # noqa: E402
from lms.db import utcnow  # noqa: E402
from lms.effect.models import GapRemedy  # noqa: E402
from lms.effect.outcomes import effectiveness  # noqa: E402


def add_remedies(site_id, share=0.3, seed=11):
    """For ``share`` of the site's agents: a one-click refresher assignment with its recorded
    remedy, and for half of those an older 1:1 without a record (inferred); made in the last
    90 days by the site's first leader. Returns how many remedies were written."""
    rng = random.Random(seed)
    now = utcnow()
    coach_id = db.session.scalar(select(User.id).where(User.site_id == site_id, User.role != "agent").order_by(User.id))
    agents = db.session.scalars(select(User.id).where(User.site_id == site_id, User.role == "agent")).all()
    chosen = rng.sample(agents, int(len(agents) * share))
    moments = {agent: now - timedelta(days=rng.uniform(1, 90)) for agent in chosen}
    topics = {agent: rng.choice(TOPICS) for agent in chosen}
    db.session.execute(insert(Assignment), [
        {"user_id": agent, "assigned_by_id": coach_id, "kind": "quiz", "target_id": f"{topics[agent]}-refresher",
         "topic": topics[agent], "due_on": moments[agent].date() + timedelta(days=7), "note": "",
         "created_at": moments[agent]} for agent in chosen])
    made = db.session.execute(select(Assignment.id, Assignment.user_id, Assignment.topic, Assignment.created_at)).all()
    db.session.execute(insert(GapRemedy), [
        {"user_id": user_id, "coach_id": coach_id, "topic": topic, "dimension": "knowledge", "kind": "assignment",
         "assignment_id": assignment_id, "score_before": rng.uniform(0.2, 0.69), "evidence_before": 5,
         "status_before": "gap", "created_at": at} for assignment_id, user_id, topic, at in made])
    talks = chosen[: len(chosen) // 2]
    db.session.execute(insert(OneOnOne), [
        {"user_id": agent, "coach_id": coach_id, "topic": topics[agent], "held_on": date.today(), "discussed": "",
         "next_step": "", "created_at": moments[agent] - timedelta(days=30)} for agent in talks])
    db.session.commit()
    return len(made) + len(talks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=10_000)
    parser.add_argument("--rows-per-agent", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='lms-bench-')}/bench.sqlite3"
    app = fresh_app(url)
    with app.app_context():
        started = time.perf_counter()
        site_id, _team_id, rows = build_site(args.agents, args.rows_per_agent)
        remedies = add_remedies(site_id)
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(select(1))
            with db.session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        print(f"built {args.agents} agents, {rows} evidence rows and {remedies} remedies "
              f"in {time.perf_counter() - started:.1f} s")
        site = db.session.get(Site, site_id)
        best, found = timed("effectiveness(site)", lambda: effectiveness(site))
        print(f"  {len(found.outcomes)} outcomes, {sum(o.closed_at is not None for o in found.outcomes)} closed")
    print(f"effectiveness: agents={args.agents} remedies={remedies} effectiveness_ms={best * 1000:.0f}")


if __name__ == "__main__":
    main()
