"""Bad input gets a 4xx page, never a server error: ids beyond the database's integer range in
addresses, query strings and forms; digits that are not ASCII; dates no one can mean; bodies
larger than the site takes. And when something does fail, the error page still renders."""

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.routing import IntegerConverter

from lms import db
from lms.params import MAX_ID, IdConverter, parse_id, whole_number
from lms.values import FieldError, parse_day

from .conftest import signed_in, token_for
from .quiz_helpers import catalog
from .test_routes import TABLE, ask, world  # noqa: F401 (world is a fixture)

TOO_BIG = MAX_ID + 1


def test_ids_are_ascii_digits_within_the_integer_range():
    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID
    for raw in ("0", str(TOO_BIG), "99999999999999999999", "²", "۱۲", "1e3", "-1", " ", "", None):
        assert parse_id(raw) is None, raw
    assert whole_number("0") == 0 and whole_number("7", low=1, high=5) is None


def test_every_id_in_an_address_is_bounded(app):
    """No rule takes a bare <int:...>: its ids would reach the database unbounded."""
    unbounded = [rule.rule for rule in app.url_map.iter_rules()
                 if any(isinstance(c, IntegerConverter) for c in rule._converters.values())]
    bounded = [rule.rule for rule in app.url_map.iter_rules()
               if any(isinstance(c, IdConverter) for c in rule._converters.values())]
    assert unbounded == [] and len(bounded) >= 25


ID_ROUTES = sorted(endpoint for endpoint, (_method, url, *_rest) in TABLE.items()
                   if any(f"{{w.{name}}}" in url for name in (
                       "sara", "omid", "coach", "attempt", "run", "alborz", "site", "step", "help",
                       "assignment", "notification", "round")))


@pytest.mark.parametrize("endpoint", ID_ROUTES)
def test_ids_beyond_the_integer_range_are_not_found(app, world, endpoint):
    """On PostgreSQL these were 500s (integer out of range), and the transaction was aborted."""
    method, pattern, _expected, *data = TABLE[endpoint]
    huge = SimpleNamespace(**{k: (TOO_BIG if isinstance(v, int) and k != "admin" else v)
                                for k, v in vars(world).items()})  # the admin asks
    # 405 where the same address has a rule for another method: werkzeug checks that first
    assert ask(app, huge, "admin", method, pattern.format(w=huge), *data) in (404, 405)


def test_ids_in_query_strings_and_forms(app, make_user):
    make_user("admin", role="admin")
    make_user("manager", role="manager")
    admin, manager = signed_in(app, "admin"), signed_in(app, "manager")
    for raw in ("²", str(TOO_BIG), "99999999999999999999"):
        assert manager.get(f"/manage/certificates?team_id={raw}").status_code == 404
        assert admin.get(f"/gaps/site?site_id={raw}").status_code == 400
        assert admin.get(f"/admin/people/?team={raw}").status_code == 400
        assert admin.get(f"/admin/people/?site={raw}").status_code == 400
        assert admin.get(f"/admin/people/?page={raw}").status_code == 400
        assert admin.get(f"/admin/audit/?page={raw}").status_code == 400
        issued = manager.post("/manage/certificates/issue", data={
            "user_id": raw, "subject": "module:basics", "csrf_token": token_for(manager, "/manage/certificates")})
        assert issued.status_code == 404


def test_an_id_choice_beyond_the_range_is_a_form_error(app, make_user):
    make_user("admin", role="admin")
    person = make_user("sara", team="Alborz")
    admin = signed_in(app, "admin")
    url = f"/admin/people/{person}"
    page = admin.post(url, data={"display_name": "Sara", "username": "sara", "role": "agent", "locale": "en",
                                 "team_id": str(TOO_BIG), "coach_of": "²", "csrf_token": token_for(admin, url)})
    assert page.status_code == 400


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_days_outside_1900_to_2100_are_refused(raw):
    with pytest.raises(FieldError, match="between 1900 and 2100"):
        parse_day(raw)
    assert parse_day("1900-01-01") == date(1900, 1, 1) and parse_day("1405/01/01") == date(2026, 3, 21)


def test_report_as_of_year_one_is_a_400(app, make_user):
    sara_id = make_user("sara", team="Alborz")
    sara = signed_in(app, "sara")
    page = sara.get(f"/gaps/people/{sara_id}?as_of=0001-01-01")
    assert page.status_code == 400 and "between 1900 and 2100" in page.get_data(as_text=True)


@pytest.mark.parametrize("locale, said", [("en", "Give a date between 1900 and 2100"), ("fa", "تاریخی میان ۱۹۰۰ و ۲۱۰۰")])
def test_a_one_on_one_in_year_one_is_a_form_error(app, team, make_user, locale, said):
    coach_id = make_user("mina", role="coach", coach_of=("Alborz",), locale=locale)
    assert coach_id
    coach = signed_in(app, "mina")
    url = f"/coaching/people/{team.sara}"
    page = coach.post(url, data={"topic": "policies", "held_on": "0001-01-01", "discussed": "Refunds",
                                 "next_step": "Practise", "csrf_token": token_for(coach, url)})
    assert page.status_code == 400 and said in page.get_data(as_text=True)


def test_a_body_over_the_limit_is_refused_with_a_page_saying_so(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_MAX_REQUEST_BYTES", 64 * 1024)
    make_user("sara", team="Alborz")
    sara = signed_in(app, "sara")
    url = ask_url(app)
    page = sara.post(url, data={"question": "x" * 100_000, "csrf_token": token_for(sara, url)})
    body = page.get_data(as_text=True)
    assert page.status_code == 413 and "larger than 0.0625 MB" in body and "nothing was saved" in body


def ask_url(app):
    return f"/help/ask?lesson={catalog(app).modules['basics'].lessons[0].id}"


def test_the_default_limit_is_8_mb_and_the_standalone_app_applies_it(app):
    assert app.config["LMS_MAX_REQUEST_BYTES"] == 8 * 1024 * 1024
    assert app.config["MAX_CONTENT_LENGTH"] == 8 * 1024 * 1024


def test_a_long_question_is_a_form_error(app, make_user):
    make_user("sara", team="Alborz")
    sara = signed_in(app, "sara")
    url = ask_url(app)
    page = sara.post(url, data={"question": "x" * 5000, "csrf_token": token_for(sara, url)})
    assert page.status_code == 400 and "2000" in page.get_data(as_text=True)


def test_lti_platform_fields_are_bounded_by_their_columns(app, make_user):
    make_user("admin", role="admin")
    admin = signed_in(app, "admin")
    page = admin.post("/admin/lti/new", data={
        "name": "n" * 500, "issuer": "https://lms.example", "client_id": "c", "deployment_ids": "d" * 300,
        "auth_login_url": "https://lms.example/a", "auth_token_url": "https://lms.example/t",
        "key_set_url": "https://lms.example/k", "csrf_token": token_for(admin, "/admin/lti/new")})
    body = page.get_data(as_text=True)
    assert page.status_code == 400 and "at most 120 characters" in body and "up to 255 characters" in body


# -- error pages ----------------------------------------------------------------------------------

def _failing_then(outcome):
    """A view that runs a statement the database refuses (on PostgreSQL the transaction is then
    aborted), then does ``outcome``."""
    def view(*_args, **_kwargs):
        try:
            db.session.execute(text("SELECT * FROM no_such_table_here"))
        except Exception:
            outcome()
            raise
        return "unreachable"
    return view


def test_a_404_after_a_failed_statement_still_renders_with_the_user(app, make_user, monkeypatch):
    from flask import abort
    make_user("sara", team="Alborz")
    sara = signed_in(app, "sara")
    monkeypatch.setitem(app.view_functions, "lms.learning.path", _failing_then(lambda: abort(404)))
    page = sara.get("/")
    assert page.status_code == 404 and "Sara" in page.get_data(as_text=True)  # the user was read again


def test_the_500_page_renders_without_the_database(app, make_user, monkeypatch):
    make_user("sara", team="Alborz", locale="fa")
    sara = signed_in(app, "sara")
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    scoped = app.extensions["sqlalchemy"].session
    reads = ("execute", "get", "scalar", "scalars")

    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("the database is down"))

    def database_down():
        for name in reads:
            setattr(scoped, name, refuse)  # on this object only: removed below
    monkeypatch.setitem(app.view_functions, "lms.learning.path", _failing_then(database_down))
    try:
        page = sara.get("/")
    finally:
        for name in reads:
            vars(scoped).pop(name, None)
    body = page.get_data(as_text=True)
    assert page.status_code == 500 and 'dir="rtl"' in body and "مشکلی پیش آمد" in body
    assert "Content-Security-Policy" in page.headers


def test_lti_addresses_given_to_platforms_ignore_a_forged_host(app, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_BASE_URL", "https://academy.example/training")
    make_user("admin", role="admin")
    admin = signed_in(app, "admin")
    admin.environ_base["HTTP_HOST"] = "evil.example"
    page = admin.get("/admin/lti/").get_data(as_text=True)
    assert "https://academy.example/training/lti/launch" in page and "evil.example" not in page


@pytest.mark.parametrize("path", ["/no-such-page", "/lms-static/no-such-file.js"])
def test_the_standalone_apps_own_error_pages_carry_the_security_headers(client, path):
    page = client.get(path)
    policy = page.headers.get("Content-Security-Policy", "")
    assert page.status_code == 404 and "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert page.headers["Referrer-Policy"] == "same-origin" and page.headers["X-Content-Type-Options"] == "nosniff"
