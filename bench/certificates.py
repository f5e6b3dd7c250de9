"""Benchmark of bulk certificate printing.

    python bench/certificates.py              # 500 certificates, English and Persian
    python bench/certificates.py --count 100

Prints N certificates as one PDF through the same code path a manager uses (the
/manage/certificates/print.pdf page: database query, QR codes, templating, WeasyPrint), and
as the floor renders the same certificates' final HTML with plain WeasyPrint in one document
(no database, no QR making, no templating). The last line is machine-readable.
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from lms import create_app, db  # noqa: E402
from lms.accounts.models import Site, Team, User  # noqa: E402
from lms.credentials.issuing import new_code  # noqa: E402
from lms.credentials.models import Certificate  # noqa: E402
from lms.credentials.render import certificates_folder, certificates_html  # noqa: E402
from lms.db import utcnow  # noqa: E402
from lms.migrate import upgrade  # noqa: E402

NAMES = ["Sara Ahmadi", "رضا محمدی", "Neda Sadeghi", "پریسا نوری", "Omid Jafari", "مینا رستمی"]


def build(count):
    site = Site(name="Bench centre")
    db.session.add(site)
    db.session.flush()
    team = Team(name="Bench team", site_id=site.id)
    db.session.add(team)
    manager = User(username="bench-manager", display_name="Bench Manager", role="manager", locale="en",
                   site_id=site.id, active=True)
    manager.set_password("bench-password")
    db.session.add(manager)
    db.session.flush()
    now = utcnow()
    db.session.execute(insert(User), [{"username": f"a{i}", "display_name": f"{NAMES[i % len(NAMES)]} {i}",
                                       "role": "agent", "locale": "en", "site_id": site.id, "team_id": team.id,
                                       "active": True, "created_at": now} for i in range(count)])
    agents = db.session.execute(select(User.id, User.display_name).where(User.team_id == team.id)).all()
    db.session.execute(insert(Certificate), [
        {"code": new_code(), "user_id": agent_id, "kind": "path", "subject_id": "onboarding",
         "recipient_name": name, "title": {"en": "Your first weeks at the contact centre",
                                            "fa": "هفته‌های اول شما در مرکز تماس"}, "issued_at": now}
        for agent_id, name in agents])
    db.session.commit()
    return team.id


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="lms-bench-certs-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.sqlite3", "SECRET_KEY": "bench",
                      "TESTING": True, "SERVER_NAME": "academy.example"})
    with app.app_context():
        upgrade()
        team_id = build(args.count)

    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"username": "bench-manager", "password": "bench-password", "csrf_token": token})

    results = {}
    for lang in ("en", "fa"):
        with app.app_context():  # each certificate prints in its holder's language
            db.session.execute(update(User).where(User.team_id == team_id).values(locale=lang))
            db.session.commit()
        started = time.perf_counter()
        response = client.get(f"/manage/certificates/print.pdf?team_id={team_id}")
        bulk_s = time.perf_counter() - started
        assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code

        # The floor: the very same final HTML and CSS, handed to WeasyPrint directly.
        with app.test_request_context():
            certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
            html = certificates_html([(c, lang, "Bench centre") for c in certificates])
            folder = certificates_folder()
        stylesheet = (folder / "certificate.css").read_text(encoding="utf-8")
        fonts = FontConfiguration()
        started = time.perf_counter()
        css = CSS(string=stylesheet, base_url=folder.as_uri() + "/", font_config=fonts)
        HTML(string=html, base_url=folder.as_uri() + "/").write_pdf(stylesheets=[css], font_config=fonts)
        floor_s = time.perf_counter() - started
        results[lang] = (bulk_s, floor_s)
        print(f"  {lang}: bulk {bulk_s:.2f} s ({args.count / bulk_s:.0f}/s), "
              f"floor {floor_s:.2f} s ({args.count / floor_s:.0f}/s)")

    bulk_s = max(r[0] for r in results.values())
    floor_s = max(r[1] for r in results.values())
    print(f"certificates: count={args.count} bulk_s={bulk_s:.2f} bulk_per_s={args.count / bulk_s:.1f} "
          f"floor_per_s={args.count / floor_s:.1f} ratio_to_floor={floor_s / bulk_s:.2f}")


if __name__ == "__main__":
    main()
