"""Administration of people, teams and sites: the rules as plain functions, then the pages
(scope, CSRF, bad forms, temporary passwords, deactivation, search and paging)."""

import re

import pytest
from sqlalchemy import insert, select

from lms import db
from lms.accounts.models import Site, Team, TeamCoach, User
from lms.audit.models import AuditEvent
from lms.people import organisation, services
from lms.people.errors import Refused
from lms.values import Invalid, parse_day
from tests.conftest import PASSWORD, sign_in, signed_in, token_for
from tests.people_helpers import events, get, people, values  # noqa: F401 (people: a fixture)


# -- services ----------------------------------------------------------------------------------

def test_create_person_cleans_values_and_records_it(ctx, people):
    admin, alborz = db.session.get(User, people["admin"]), get(Team, name="Alborz")
    person = services.create_person(admin, values(site_id=alborz.site_id, team_id=alborz.id))
    db.session.commit()
    assert (person.email, person.hired_on.isoformat(), person.locale) == ("nima@example.com", "2026-03-21", "fa")
    [event] = events("person.created")
    assert event.actor_id == admin.id and event.person_id == person.id and event.after["email"] == "nima@example.com"


def test_unique_keys_and_bad_fields_are_field_errors(ctx, people):
    admin = db.session.get(User, people["admin"])
    services.create_person(admin, values())
    db.session.commit()
    with pytest.raises(Invalid) as error:
        services.create_person(admin, values(username="NIMA", email="nima@example.com", employee_id="E-7"))
    assert set(error.value.errors) == {"username", "email", "employee_id"}
    with pytest.raises(Invalid) as error:
        services.create_person(admin, values(username="x", email="nope", hired_on="32/13/2020", role="boss",
                                             employee_id=""))
    assert set(error.value.errors) == {"username", "email", "hired_on", "role"}


def test_a_manager_acts_within_their_site_and_cannot_grant_admin(ctx, people):
    manager = db.session.get(User, people["manager"])
    hafez = get(Team, name="Hafez")
    with pytest.raises(Invalid) as error:
        services.create_person(manager, values(role="admin"))
    assert "role" in error.value.errors
    with pytest.raises(Invalid) as error:  # Hafez is in Shiraz; the manager's people are Tehran's
        services.create_person(manager, values(team_id=hafez.id, site_id=hafez.site_id))
    assert "team_id" in error.value.errors
    db.session.rollback()
    person = services.create_person(manager, values(site_id=hafez.site_id))
    assert person.site_id == manager.site_id
    with pytest.raises(Refused):
        services.update_person(db.session.get(User, people["shirazi"]), manager, values(username="shirazi"))
    with pytest.raises(Refused):
        organisation.add_coach(hafez, db.session.get(User, people["coach"]), manager)


def test_update_records_only_what_changed_including_the_role(ctx, people):
    admin, sara = db.session.get(User, people["admin"]), db.session.get(User, people["sara"])
    services.update_person(sara, admin, {**services.snapshot(sara), "role": "coach", "display_name": "Sara K"})
    db.session.commit()
    [event] = events("person.changed")
    assert event.before == {"role": "agent", "display_name": "Sara"}
    assert event.after == {"role": "coach", "display_name": "Sara K"}


def test_nobody_removes_their_own_admin_role_or_deactivates_themself(ctx, people):
    admin = db.session.get(User, people["admin"])
    with pytest.raises(Invalid) as error:
        services.update_person(admin, admin, {**services.snapshot(admin), "role": "manager"})
    assert "role" in error.value.errors
    with pytest.raises(Refused):
        services.deactivate(admin, admin, "leaving")


def test_coaches_belong_to_the_team_site(ctx, people):
    admin, coach = db.session.get(User, people["admin"]), db.session.get(User, people["coach"])
    with pytest.raises(Invalid):
        organisation.add_coach(get(Team, name="Hafez"), coach, admin)
    with pytest.raises(Invalid):
        organisation.add_coach(get(Team, name="Alborz"), db.session.get(User, people["sara"]), admin)
    zagros = organisation.create_team(admin, "Zagros", coach.site_id)
    organisation.add_coach(zagros, coach, admin)
    db.session.commit()
    [event] = events("person.coach_added")
    assert event.target == f"team:{zagros.id}" and event.person_id == coach.id
    organisation.remove_coach(zagros, coach, admin)
    db.session.commit()
    assert events("person.coach_removed")[0].target == f"team:{zagros.id}"


def test_role_change_to_agent_drops_the_teams_they_coached(ctx, people):
    admin, coach = db.session.get(User, people["admin"]), db.session.get(User, people["coach"])
    services.update_person(coach, admin, {**services.snapshot(coach), "role": "agent"})
    db.session.commit()
    assert db.session.scalar(select(TeamCoach).where(TeamCoach.user_id == coach.id)) is None


def test_deactivate_and_reactivate(ctx, people):
    admin, coach = db.session.get(User, people["admin"]), db.session.get(User, people["coach"])
    with pytest.raises(Invalid):
        services.deactivate(coach, admin, "  ")
    services.deactivate(coach, admin, "left the company")
    db.session.commit()
    assert not coach.active and coach.deactivated_at is not None
    assert db.session.scalar(select(TeamCoach).where(TeamCoach.user_id == coach.id)) is None
    [event] = events("person.deactivated")
    assert event.reason == "left the company" and event.before["coach_of"] == [get(Team, name="Alborz").id]
    services.reactivate(coach, admin, "came back")
    db.session.commit()
    assert coach.active and coach.deactivated_at is None and events("person.reactivated")[0].reason == "came back"


def test_sites_and_teams_are_created_and_renamed_with_their_events(ctx, people):
    admin, manager = db.session.get(User, people["admin"]), db.session.get(User, people["manager"])
    with pytest.raises(Refused):
        organisation.create_site(manager, "Isfahan")
    site = organisation.create_site(admin, "Isfahan")
    with pytest.raises(Invalid):
        organisation.create_site(admin, "isfahan")
    organisation.rename_site(site, admin, "Esfahan")
    team = organisation.create_team(manager, "Sepahan", site.id)  # a manager's team lands in their own site
    assert team.site_id == manager.site_id
    organisation.rename_team(team, manager, "Naghsh")
    db.session.commit()
    assert [e.kind for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
        "site.created", "site.changed", "team.created", "team.changed"]


# -- pages -------------------------------------------------------------------------------------

def test_only_managers_and_admins_open_administration(app, people):
    for name in ("sara", "maryam"):
        client = signed_in(app, name)
        assert client.get("/admin/").status_code == 403
        assert client.get("/admin/people/").status_code == 403
    manager = signed_in(app, "manager")
    assert manager.get("/admin/").status_code == 200
    assert manager.get("/admin/sites/").status_code == 403
    # Someone of another site: the same answer as an id of nobody, so ids say nothing.
    assert manager.get(f"/admin/people/{people['shirazi']}").status_code == 404
    assert manager.get("/admin/people/999999").status_code == 404
    assert manager.get(f"/admin/people/{people['admin']}").status_code == 403
    assert manager.get(f"/admin/people/{people['sara']}").status_code == 200
    assert signed_in(app, "admin").get("/admin/people/999999").status_code == 404
    assert app.test_client().get("/admin/people/").status_code == 302


def test_a_manager_lists_only_their_site(app, people):
    page = signed_in(app, "manager").get("/admin/people/?status=all").get_data(as_text=True)
    assert "Sara" in page and "Shirazi" not in page
    page = signed_in(app, "admin").get("/admin/people/").get_data(as_text=True)
    assert "Sara" in page and "Shirazi" in page


def test_search_filters_and_paging(app, people):
    with app.app_context():
        site_id = get(Site, name="Tehran").id
        db.session.execute(insert(User), [
            {"username": f"bulk{i:03}", "display_name": f"Bulk {i:03}", "role": "agent", "locale": "en",
             "site_id": site_id, "email": f"bulk{i:03}@example.com", "active": True} for i in range(120)])
        db.session.commit()
    admin = signed_in(app, "admin")
    first = admin.get("/admin/people/?q=BULK").get_data(as_text=True)
    assert "People found: 120" in first and "Bulk 000" in first and "Bulk 050" not in first
    assert "Page 1 of 3" in first
    third = admin.get("/admin/people/?q=bulk&page=3").get_data(as_text=True)
    assert "Bulk 119" in third and "Bulk 099" not in third
    assert "People found: 1<" in admin.get("/admin/people/?q=bulk007@EXAMPLE").get_data(as_text=True)
    assert "People found: 1<" in admin.get("/admin/people/?role=coach").get_data(as_text=True)
    assert admin.get("/admin/people/?role=boss").status_code == 400
    assert admin.get("/admin/people/?page=x").status_code == 400
    assert "People found: 0" in admin.get("/admin/people/?q=100%25").get_data(as_text=True)


def form_of(person):
    return {"display_name": person["display_name"], "username": person["username"], "email": person["email"] or "",
            "employee_id": "", "role": person["role"], "site_id": str(person["site_id"] or ""),
            "team_id": str(person["team_id"] or ""), "hired_on": "", "locale": "en", "wants_email": "y"}


def test_edit_a_person_through_the_page(app, people):
    admin = signed_in(app, "admin")
    with app.app_context():
        sara = services.snapshot(db.session.get(User, people["sara"]))
    path = f"/admin/people/{people['sara']}"
    data = {**form_of(sara), "role": "coach", "hired_on": "۱۴۰۵/۰۱/۰۱", "csrf_token": token_for(admin, path)}
    assert admin.post(path, data=data).status_code == 302
    with app.app_context():
        person = db.session.get(User, people["sara"])
        assert person.role == "coach" and person.hired_on.isoformat() == "2026-03-21"
        assert events("person.changed")[0].after["role"] == "coach"
    page = admin.get(path).get_data(as_text=True)
    assert "Person changed" in page.split("Recent changes")[1]


def test_a_bad_form_re_renders_and_changes_nothing(app, people):
    admin = signed_in(app, "admin")
    path = f"/admin/people/{people['sara']}"
    with app.app_context():
        sara = services.snapshot(db.session.get(User, people["sara"]))
    data = {**form_of(sara), "username": "maryam", "email": "not-an-address", "csrf_token": token_for(admin, path)}
    answer = admin.post(path, data=data)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "This username is taken." in page and "is not an e-mail address" in page
    with app.app_context():
        assert db.session.get(User, people["sara"]).username == "sara" and not events("person.changed")


def test_posts_without_csrf_are_refused(app, people):
    admin = signed_in(app, "admin")
    assert admin.post(f"/admin/people/{people['sara']}/password").status_code == 400
    assert admin.post(f"/admin/people/{people['sara']}/deactivate", data={"reason": "x"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, people["sara"]).active and not events("person.password_reset")


def test_a_manager_cannot_give_admin_through_the_page(app, people):
    manager = signed_in(app, "manager")
    path = f"/admin/people/{people['sara']}"
    with app.app_context():
        sara = services.snapshot(db.session.get(User, people["sara"]))
    answer = manager.post(path, data={**form_of(sara), "role": "admin", "csrf_token": token_for(manager, path)})
    assert answer.status_code == 400
    with app.app_context():
        assert db.session.get(User, people["sara"]).role == "agent"
    other = f"/admin/people/{people['shirazi']}/password"
    assert manager.post(other, data={"csrf_token": token_for(manager, path)}).status_code == 404


def test_account_details_and_sign_in_by_e_mail(app, people):
    sara = signed_in(app, "sara")
    token = token_for(sara, "/account")
    bad = sara.post("/account", data={"details-email": "nope", "details-locale": "fa", "csrf_token": token})
    assert bad.status_code == 400
    ok = sara.post("/account", data={"details-email": "Sara@Example.com", "details-locale": "fa",
                                     "csrf_token": token})
    assert ok.status_code == 302
    with app.app_context():
        user = db.session.get(User, people["sara"])
        assert (user.email, user.wants_email, user.locale) == ("sara@example.com", False, "fa")
    client = app.test_client()
    assert sign_in(client, "SARA@example.com").status_code == 302


def test_deactivated_people_are_refused_at_sign_in(app, people):
    admin = signed_in(app, "admin")
    path = f"/admin/people/{people['sara']}"
    token = token_for(admin, path)
    missing = admin.post(f"{path}/deactivate", data={"reason": "", "csrf_token": token})
    assert missing.status_code == 400 and "Give a reason." in missing.get_data(as_text=True)
    assert admin.post(f"{path}/deactivate", data={"reason": "left", "csrf_token": token}).status_code == 302
    refused = sign_in(app.test_client(), "sara")
    assert refused.status_code == 403
    assert "This account is deactivated." in refused.get_data(as_text=True)
    wrong = sign_in(app.test_client(), "sara", "wrong password")  # nothing told without the password
    assert wrong.status_code == 401
    assert admin.post(f"{path}/reactivate", data={"reason": "back", "csrf_token": token}).status_code == 302
    assert sign_in(app.test_client(), "sara", PASSWORD).status_code == 302


def test_teams_and_sites_pages(app, people):
    admin = signed_in(app, "admin")
    token = token_for(admin, "/admin/teams/")
    with app.app_context():
        tehran = get(Site, name="Tehran").id
    assert admin.post("/admin/teams/", data={"name": "", "site_id": tehran, "csrf_token": token}).status_code == 400
    added = admin.post("/admin/teams/", data={"name": "Zagros", "site_id": tehran, "csrf_token": token})
    assert added.status_code == 302
    with app.app_context():
        zagros = get(Team, name="Zagros").id
    page = f"/admin/teams/{zagros}"
    assert admin.post(f"{page}/coaches", data={"coach_id": people["coach"], "csrf_token": token}).status_code == 302
    assert "Maryam" in admin.get("/admin/teams/").get_data(as_text=True)
    refused = admin.post(f"{page}/coaches", data={"coach_id": people["sara"], "csrf_token": token})
    assert refused.status_code == 400
    assert admin.post(f"{page}/coaches/{people['coach']}/remove", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert [e.kind for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
            "team.created", "person.coach_added", "person.coach_removed"]
    far = signed_in(app, "far")
    assert far.get(page).status_code == 404  # another site's team: as if there were none
    assert far.get("/admin/teams/999999").status_code == 404
    assert admin.post("/admin/sites/", data={"name": "Tabriz", "csrf_token": token}).status_code == 302
    assert admin.post("/admin/sites/", data={"name": "tabriz", "csrf_token": token}).status_code == 400
    manager = signed_in(app, "manager")
    answer = manager.post("/admin/sites/", data={"name": "X", "csrf_token": token_for(manager, "/admin/")})
    assert answer.status_code == 403


def test_new_person_page(app, people):
    manager = signed_in(app, "manager")
    token = token_for(manager, "/admin/people/new")
    data = {**form_of({"display_name": "Nima", "username": "nima", "email": "nima@example.com", "role": "coach",
                       "site_id": None, "team_id": None}), "csrf_token": token}
    answer = manager.post("/admin/people/new", data=data)
    assert answer.status_code == 302
    with app.app_context():
        nima = get(User, username="nima")
        assert nima.site_id == db.session.get(User, people["manager"]).site_id and nima.role == "coach"
    assert manager.post("/admin/people/new", data=data).status_code == 400  # taken now


def test_navigation_shows_administration_to_those_who_may_open_it(app, people):
    assert "Administration" in signed_in(app, "manager").get("/admin/people/").get_data(as_text=True)
    home = signed_in(app, "admin").get("/admin/").get_data(as_text=True)
    assert "/admin/audit/" in home and "Item analysis" in home
    assert "Administration" not in signed_in(app, "sara").get("/account").get_data(as_text=True)


def test_the_main_menu_follows_rights_and_language_and_is_rendered_once_for_each(app, people, make_user):
    make_user("loner", site="Tehran")  # an agent in no team: no calls of their own to review
    app.extensions["lms"].menus.clear()  # the app may have served other tests' pages
    make_user("parisa", team="Alborz", site="Tehran", locale="fa")

    def menu(username):
        page = signed_in(app, username).get("/account").get_data(as_text=True)
        return re.search(r'<nav id="lms-nav".*?</nav>', page, re.S).group(0)

    sara = menu("sara")
    assert "To do" in sara and "My calls" in sara and "Coaching" not in sara and "Administration" not in sara
    loner = menu("loner")
    assert "To do" in loner and "My calls" not in loner
    manager = menu("manager")
    assert "Coaching" in manager and "Administration" in manager and "To do" not in manager
    admin = menu("admin")
    assert "Reviews" in admin and "Administration" in admin and admin != manager
    parisa = menu("parisa")
    assert "My path" not in parisa and parisa.count("<a ") == sara.count("<a ")  # sara's links, in Persian
    assert menu("shirazi") == sara  # another site's agent in a team: the same rights
    assert len(app.extensions["lms"].menus) == 5  # sara (shirazi), loner, manager, admin, parisa


def test_deactivated_agents_leave_team_pages_and_gap_reports(app, people, make_user):
    from lms.gaps.reports import site_report, team_report
    from lms.gaps.scoring import GapSettings

    omid = make_user("omid", team="Alborz", site="Tehran")
    with app.app_context():
        services.deactivate(db.session.get(User, people["sara"]), None, "left")
        db.session.commit()
        alborz = get(Team, name="Alborz")
        assert [a.id for a in team_report(db.session, alborz.id, GapSettings()).agents] == [omid]
        assert [a.id for a in site_report(db.session, alborz.site_id, GapSettings()).agents] == [omid]
    coach = signed_in(app, "maryam")
    page = coach.get(f"/teams/{alborz.id}").get_data(as_text=True)
    assert "Omid" in page and "Sara" not in page
    assert "<td>1</td>" in coach.get("/teams").get_data(as_text=True)


def test_hire_dates_read_back_as_jalali_with_persian_digits_in_persian(app, make_user, people):
    make_user("farsi", role="admin", site="Tehran", locale="fa")
    with app.app_context():
        db.session.get(User, people["sara"]).hired_on = parse_day("2026-03-21")
        db.session.commit()
    assert 'value="۱۴۰۵/۰۱/۰۱"' in signed_in(app, "farsi").get(f"/admin/people/{people['sara']}").get_data(as_text=True)
    assert 'value="2026-03-21"' in signed_in(app, "admin").get(f"/admin/people/{people['sara']}").get_data(as_text=True)


def test_a_coach_moved_to_another_site_cannot_keep_a_team_of_the_old_one(ctx, people):
    admin, coach = db.session.get(User, people["admin"]), db.session.get(User, people["coach"])
    alborz, shiraz = get(Team, name="Alborz"), get(Site, name="Shiraz")
    with pytest.raises(Invalid) as error:
        services.update_person(coach, admin, {**services.snapshot(coach), "site_id": shiraz.id}, coach_of=[alborz.id])
    assert "own site" in error.value.errors["coach_of"]
    db.session.rollback()
    services.update_person(coach, admin, {**services.snapshot(coach), "site_id": shiraz.id})  # their teams left behind
    db.session.commit()
    assert services.coached_teams(coach) == [] and events("person.coach_removed")[0].target == f"team:{alborz.id}"
