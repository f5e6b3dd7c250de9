"""Who sees whom: agents only themselves, coaches their teams, managers their site."""

import pytest

from .conftest import signed_in


@pytest.fixture
def people(app, make_user):
    ids = {
        "sara": make_user("sara", team="Alborz"),
        "omid": make_user("omid", team="Zagros"),
        "far": make_user("far", team="Far team", site="Other site"),
        "coach": make_user("coach", role="coach", coach_of=("Alborz",)),
        "manager": make_user("manager", role="manager"),
        "admin": make_user("admin", role="admin"),
    }
    from lms import db
    from lms.accounts.models import User

    with app.app_context():
        ids["alborz"] = db.session.get(User, ids["sara"]).team_id
        ids["zagros"] = db.session.get(User, ids["omid"]).team_id
        ids["far_team"] = db.session.get(User, ids["far"]).team_id
    return ids


as_user = signed_in


def test_an_agent_sees_no_one_else(app, people):
    sara = as_user(app, "sara")
    assert sara.get(f"/people/{people['sara']}").status_code == 200
    assert sara.get(f"/people/{people['omid']}").status_code == 404
    assert sara.get("/teams").status_code == 403
    assert sara.get(f"/teams/{people['alborz']}").status_code == 403


def test_a_coach_sees_only_their_teams(app, people):
    coach = as_user(app, "coach")
    listing = coach.get("/teams").get_data(as_text=True)
    assert "Alborz" in listing and "Zagros" not in listing
    assert coach.get(f"/teams/{people['alborz']}").status_code == 200
    assert coach.get(f"/teams/{people['zagros']}").status_code == 404  # as for an id of nobody
    assert coach.get("/teams/999999").status_code == 404
    assert coach.get(f"/people/{people['sara']}").status_code == 200
    assert coach.get(f"/people/{people['omid']}").status_code == 404


def test_a_manager_sees_their_site_only(app, people):
    manager = as_user(app, "manager")
    listing = manager.get("/teams").get_data(as_text=True)
    assert "Alborz" in listing and "Zagros" in listing and "Far team" not in listing
    assert manager.get(f"/teams/{people['far_team']}").status_code == 404
    assert manager.get(f"/people/{people['far']}").status_code == 404
    assert manager.get(f"/people/{people['omid']}").status_code == 200


def test_an_admin_sees_everyone_and_unknown_ids_are_404(app, people):
    admin = as_user(app, "admin")
    assert admin.get(f"/teams/{people['far_team']}").status_code == 200
    assert admin.get("/teams/999999").status_code == 404
    assert admin.get("/people/999999").status_code == 404


def test_team_page_shows_each_agents_progress(app, people):
    page = as_user(app, "coach").get(f"/teams/{people['alborz']}").get_data(as_text=True)
    assert "Sara" in page and "0 / 3" in page  # lessons read out of the test content's three
