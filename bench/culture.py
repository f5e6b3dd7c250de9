"""Benchmark of the culture pulse report and the coaching-effectiveness page for a large site.

    python bench/culture.py                      # 10,000 agents, SQLite
    python bench/culture.py --database-url postgresql://postgres@127.0.0.1:5432/bench_culture

Builds bench/gaps.py's synthetic site (agents in teams of 50 with their evidence), has every
agent answer the culture pulse in the last two periods, and gives a share of the agents gap
remedies (a one-click refresher with its record, and an older 1:1 without one). Then times, as a
manager of the site waits for them, the culture report page (its counts beside the site's
support gaps) and the effectiveness page, through the test client, and the two functions behind
them (culture_report, effectiveness). The last line is machine-readable:
``culture: agents=N pulse_report_ms=... effectiveness_ms=...`` (the pages, best of three).
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from flask import url_for  # noqa: E402

from common import fresh_app, settle, timed  # noqa: E402
from gaps import build_site, site_options  # noqa: E402
from lms import db  # noqa: E402
from lms.accounts.models import Site, User, new_session_token  # noqa: E402
from lms.catalog import TOPICS  # noqa: E402
from lms.coaching.models import Assignment, OneOnOne  # noqa: E402
from lms.db import utcnow  # noqa: E402
from lms.effect.models import GapRemedy  # noqa: E402
from lms.effect.outcomes import effectiveness  # noqa: E402
from lms.pulse.answering import period_start  # noqa: E402
from lms.pulse.culture_report import culture_report  # noqa: E402
from lms.pulse.models import CultureReceipt, CultureTally  # noqa: E402


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


def add_culture_answers(site_id, culture, seed=13):
    """Every agent of the site answers the culture pulse in the last two ended periods: the
    receipts and each team's counts, as answering would leave them."""
    rng = random.Random(seed)
    today = utcnow().date()
    latest = period_start(today, culture.period_days) - timedelta(days=culture.period_days)
    teams = db.session.execute(select(User.team_id, func.count()).where(User.site_id == site_id, User.role == "agent")
                               .group_by(User.team_id)).all()
    agents = db.session.execute(select(User.id, User.team_id).where(User.site_id == site_id, User.role == "agent")).all()
    for start in (latest, latest - timedelta(days=culture.period_days)):
        db.session.execute(insert(CultureReceipt), [
            {"user_id": user_id, "site_id": site_id, "team_id": team_id, "period_start": start}
            for user_id, team_id in agents])
        rows = []
        for team_id, size in teams:
            for item in culture.items:
                counts = [0] * 5
                for _ in range(size):
                    counts[rng.randrange(5)] += 1
                rows += [{"site_id": site_id, "team_id": team_id, "period_start": start, "item_id": item.id,
                          "lens": item.lens, "reversed": item.reversed, "answer": answer + 1, "count": count}
                         for answer, count in enumerate(counts)]
        db.session.execute(insert(CultureTally), rows)
    db.session.commit()
    return len(agents)


def manager_client(app, site_id):
    """A test client signed in as the site's manager (bench/gaps.py's leader), by its cookie."""
    manager = db.session.scalar(select(User).where(User.site_id == site_id, User.role == "manager"))
    manager.session_token = new_session_token()
    db.session.commit()
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": f"{manager.id}:{manager.session_token}", "_fresh": False})
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def page_timed(label, client, path):
    def get():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return timed(label, get)[0]


def main():
    args = site_options(argparse.ArgumentParser(description=__doc__.splitlines()[0])).parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='lms-bench-')}/bench.sqlite3"
    app = fresh_app(url)
    with app.app_context():
        started = time.perf_counter()
        site_id, _team_id, rows = build_site(args.agents, args.rows_per_agent)
        remedies = add_remedies(site_id)
        catalog = app.extensions["lms"].catalog
        answered = add_culture_answers(site_id, catalog.culture)
        settle(db.session.get_bind())
        print(f"built {args.agents} agents, {rows} evidence rows, {remedies} remedies and {answered} culture "
              f"answers a period in {time.perf_counter() - started:.1f} s")
        site = db.session.get(Site, site_id)
        today, period = utcnow().date(), catalog.culture.period_days
        _best, report = timed("culture_report(site)", lambda: culture_report(db.session, site_id, today, period))
        print(f"  {len(report.teams)} groups reported")
        _best, found = timed("effectiveness(site)", lambda: effectiveness(site))
        print(f"  {len(found.outcomes)} outcomes, {sum(o.closed_at is not None for o in found.outcomes)} closed")
        client = manager_client(app, site_id)
        with app.test_request_context():
            pages = url_for("lms.pulse.culture_report"), url_for("lms.effect.page")
        pulse_page = page_timed("culture report page", client, pages[0])
        effect_page = page_timed("effectiveness page", client, pages[1])
    print(f"culture: agents={args.agents} pulse_report_ms={pulse_page * 1000:.0f} "
          f"effectiveness_ms={effect_page * 1000:.0f}")


if __name__ == "__main__":
    main()
