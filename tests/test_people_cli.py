"""``flask lms people set-role / add-coach / remove-coach / reset-password / deactivate /
reactivate``: found by username, e-mail or employee id, audited as the system."""

import re

from sqlalchemy import select

from lms import db
from lms.accounts.models import Site, Team, TeamCoach, User
from lms.audit.models import AuditEvent
from tests.conftest import sign_in


def run(app, *args):
    return app.test_cli_runner().invoke(args=["lms", "people", *args])


def last_event(app):
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        return event.kind, event.actor_id, event.actor_name, event.reason, event.before, event.after


def test_set_role_by_e_mail_or_employee_id(app, make_user):
    sara = make_user("sara", team="Alborz")
    with app.app_context():
        person = db.session.get(User, sara)
        person.email, person.employee_id = "sara@example.com", "E-12"
        db.session.commit()
    result = run(app, "set-role", "SARA@example.com", "coach")
    assert result.exit_code == 0 and "sara is now coach." in result.output
    assert last_event(app) == ("person.changed", None, "CX Academy", "command line", {"role": "agent"},
                               {"role": "coach"})
    assert run(app, "set-role", "E-12", "manager").exit_code == 0
    with app.app_context():
        assert db.session.get(User, sara).role == "manager"


def test_add_and_remove_a_coach(app, make_user):
    coach = make_user("maryam", role="coach")
    make_user("sara", team="Alborz")
    make_user("other", team="Alborz", site="Shiraz")
    ambiguous = run(app, "add-coach", "maryam", "Alborz")
    assert ambiguous.exit_code == 1 and "--site" in ambiguous.output
    result = run(app, "add-coach", "maryam", "alborz", "--site", "Test site")
    assert result.exit_code == 0, result.output
    with app.app_context():
        team = db.session.scalar(select(Team).join(TeamCoach).where(TeamCoach.user_id == coach))
        assert team.name == "Alborz" and team.site.name == "Test site"
    assert last_event(app)[:4] == ("person.coach_added", None, "CX Academy", "command line")
    wrong_site = run(app, "add-coach", "maryam", "Alborz", "--site", "Shiraz")
    assert wrong_site.exit_code == 1 and "own site" in wrong_site.output
    assert run(app, "remove-coach", "maryam", "Alborz", "--site", "Test site").exit_code == 0
    assert last_event(app)[0] == "person.coach_removed"


def test_reset_password_prints_it_once_and_forces_a_change(app, make_user):
    make_user("sara")
    result = run(app, "reset-password", "sara")
    assert result.exit_code == 0
    password = re.search(r"Temporary password for sara: (\S+)", result.output).group(1)
    assert last_event(app)[0] == "person.password_reset" and password not in repr(last_event(app))
    client = app.test_client()
    assert sign_in(client, "sara", password).headers["Location"].endswith("/account")


def test_deactivate_and_reactivate(app, make_user):
    make_user("maryam", role="coach", coach_of=("Alborz",))
    assert run(app, "deactivate", "maryam").exit_code == 2  # --reason is required
    result = run(app, "deactivate", "maryam", "--reason", "left in May")
    assert result.exit_code == 0
    kind, actor, _name, reason, before, after = last_event(app)
    assert (kind, actor, reason, after) == ("person.deactivated", None, "command line: left in May",
                                            {"active": False, "coach_of": []})
    with app.app_context():
        assert db.session.scalar(select(TeamCoach)) is None
    assert sign_in(app.test_client(), "maryam").status_code == 403
    assert run(app, "reactivate", "maryam").exit_code == 0
    assert last_event(app)[0] == "person.reactivated"


def test_unknown_people_and_teams_are_clear_errors(app, make_user):
    make_user("sara")
    for args in (("set-role", "nobody", "coach"), ("reset-password", "nobody"), ("reactivate", "nobody"),
                 ("deactivate", "nobody", "--reason", "x"), ("add-coach", "nobody", "Alborz")):
        result = run(app, *args)
        assert result.exit_code == 1 and "Nobody has the username, e-mail or employee id 'nobody'." in result.output
    result = run(app, "add-coach", "sara", "Nowhere")
    assert result.exit_code == 1 and "There is no team 'Nowhere'." in result.output
    with app.app_context():
        assert db.session.scalar(select(AuditEvent)) is None


def test_first_passwords_for_one_sites_new_people(app, make_user, tmp_path):
    make_user("maryam", role="coach", site="Tehran")
    make_user("omid", site="Shiraz")
    with app.app_context():  # as an import leaves them: no password at all
        sites = dict(db.session.execute(select(Site.name, Site.id)).all())
        db.session.add_all([User(username="nika", display_name="Nika", role="agent", site_id=sites["Tehran"]),
                            User(username="hafez", display_name="Hafez", role="agent", site_id=sites["Shiraz"])])
        db.session.commit()
    out = tmp_path / "passwords.csv"
    result = run(app, "first-passwords", str(out), "--site", "tehran")
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    assert len(rows) == 2 and rows[1].startswith(",Nika,nika,")
    assert last_event(app)[:4] == ("person.password_reset", None, "CX Academy", "first password")
    client = app.test_client()
    assert sign_in(client, "nika", rows[1].rsplit(",", 1)[1]).status_code == 302
    assert run(app, "first-passwords", str(out), "--site", "Nowhere").exit_code == 1
