"""Self-review of real calls: calibration and the evidence it gives as plain functions, then
the pages — the agent's form and list, the coach's blind scoring, the calibration both see,
permissions, and bad input that writes nothing."""

import html
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User
from lms.db import utcnow
from lms.evidence import Evidence
from lms.gaps.queries import cell_evidence
from lms.gaps.scoring import GapSettings
from lms.roleplays.engine import REVIEW_MAX
from lms.selfreview import calibration, services
from lms.selfreview.models import CallReview

from .conftest import shown, signed_in, token_for

CRITERIA = [{"id": "empathy", "dimension": "knowledge", "name": {"en": "Empathy"}},
            {"id": "explains_why", "dimension": "belief", "name": {"en": "Explains the why"}},
            {"id": "accuracy", "dimension": "knowledge", "name": {"en": "Accuracy"}}]


# -- the rules ------------------------------------------------------------------------------

def test_calibration_gives_the_difference_per_criterion_and_where_it_is_widest():
    table = calibration.lines(CRITERIA, {"empathy": 2, "explains_why": 2, "accuracy": 1},
                              {"empathy": 1, "explains_why": 0, "accuracy": 1})
    assert [(line.criterion["id"], line.difference) for line in table] == [
        ("empathy", 1), ("explains_why", 2), ("accuracy", 0)]
    assert [line.criterion["id"] for line in calibration.widest(table)] == ["explains_why"]


def test_ties_are_all_widest_and_agreement_has_none():
    tied = calibration.lines(CRITERIA, {"empathy": 0, "explains_why": 2, "accuracy": 1},
                             {"empathy": 1, "explains_why": 1, "accuracy": 1})
    assert [line.criterion["id"] for line in calibration.widest(tied)] == ["empathy", "explains_why"]
    same = calibration.lines(CRITERIA, {"empathy": 1, "explains_why": 1, "accuracy": 1},
                             {"empathy": 1, "explains_why": 1, "accuracy": 1})
    assert calibration.widest(same) == []


def test_the_coach_scores_count_per_criterion_to_its_dimension():
    items = calibration.evidence_items(CRITERIA, {"empathy": 2, "explains_why": 2, "accuracy": 2},
                                       {"empathy": 2, "explains_why": 0, "accuracy": 1})
    coach = [(i.item_suffix, i.dimension, i.value) for i in items if i.source == calibration.COACH_SOURCE]
    assert coach == [("empathy", "knowledge", 1.0), ("explains_why", "belief", 0.0),
                     ("accuracy", "knowledge", 1 / REVIEW_MAX)]


def test_the_agent_view_is_one_belief_item_that_rating_oneself_up_can_only_lower():
    coach = {"empathy": 1, "explains_why": 0, "accuracy": 1}

    def own_view(agent_scores):
        items = [i for i in calibration.evidence_items(CRITERIA, agent_scores, coach)
                 if i.source == calibration.SELF_SOURCE]
        assert len(items) == 1 and items[0].dimension == "belief"
        return items[0].value

    honest = own_view(coach)
    inflated = own_view({"empathy": 2, "explains_why": 2, "accuracy": 2})
    assert honest == 1.0
    assert inflated == pytest.approx(1 - (1 + 2 + 1) / 3 / REVIEW_MAX)
    assert inflated < honest
    assert own_view({"empathy": 0, "explains_why": 0, "accuracy": 0}) == 1.0  # harder on oneself: no belief gap
    # Whatever the agent gives themself, no item is knowledge and no coach item changes.
    for scores in ({"empathy": 2, "explains_why": 2, "accuracy": 2}, {"empathy": 0, "explains_why": 0, "accuracy": 0}):
        items = calibration.evidence_items(CRITERIA, scores, coach)
        assert [i.value for i in items if i.source == calibration.COACH_SOURCE] == [0.5, 0.0, 0.5]


# -- the pages --------------------------------------------------------------------------------

def _form(client, **changes):
    data = {"csrf_token": token_for(client, "/calls"), "rubric": "rp-late", "reference": "CALL-2041",
            "call_on": (utcnow().date() - timedelta(days=1)).isoformat(), "channel": "phone",
            "transcript": "Customer: Where is my kettle?\nAgent: That's our delivery policy.",
            "score-empathy": "2", "score-explains_why": "2",
            "differently": "Say why it is late and when it comes, instead of quoting the policy."}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _submit(client, **changes):
    return client.post("/calls/new", data=_form(client, **changes))


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_agent_self_reviews_the_coach_scores_blind_and_both_see_the_calibration(app, team):
    sara = signed_in(app, "sara")
    assert "The late kettle" in sara.get("/calls/new").get_data(as_text=True)  # the rubric to choose
    page = sara.get("/calls/new?rubric=rp-late").get_data(as_text=True)
    assert 'name="score-empathy"' in page and 'name="score-explains_why"' in page
    response = _submit(sara)
    assert response.status_code == 303
    review_url = response.headers["Location"]
    with app.app_context():
        assert _count(Evidence) == 0  # nothing counts until the coach has scored
    assert "Waiting for your coach" in sara.get("/calls").get_data(as_text=True)

    coach = signed_in(app, "maryam")
    queue = coach.get("/reviews").get_data(as_text=True)
    assert "CALL-2041" in queue and review_url in queue
    blind = coach.get(review_url).get_data(as_text=True)
    assert "That's our delivery policy" in html.unescape(blind)
    assert "instead of quoting the policy" not in blind  # neither the agent's scores nor their reflection
    assert 'name="score-empathy"' in blind and "Calibration" not in blind
    scored = coach.post(review_url + "/score", data={"csrf_token": token_for(coach, "/reviews"), "score-empathy": "1",
                                                     "score-explains_why": "0", "comment": "Name the delay."})
    assert scored.status_code == 303
    assert "CALL-2041" not in coach.get("/reviews").get_data(as_text=True)

    for client in (coach, sara):
        page = shown(client.get(review_url))
        assert "Calibration" in page and "Where you differ most:" in page
        assert "Explains the why (agent 2, coach 0)" in page
        assert "agent higher by 2" in page and "agent higher by 1" in page
        assert "instead of quoting the policy" in page and "Name the delay." in page
    assert "Calibrated" in sara.get("/calls").get_data(as_text=True)
    with app.app_context():
        rows = {(e.item_id, e.dimension, e.source): e.value for e in db.session.scalars(select(Evidence))}
        user_ids = set(db.session.scalars(select(Evidence.user_id)))
    assert user_ids == {team.sara}
    assert rows == {("rp-late:call:empathy", "knowledge", "call_coach"): 0.5,
                    ("rp-late:call:explains_why", "belief", "call_coach"): 0.0,
                    ("rp-late:call:self_view", "belief", "call_self"): pytest.approx(1 - (1 + 2) / 2 / REVIEW_MAX)}


def test_a_second_score_is_refused_and_counts_nothing_twice(app, team):
    sara = signed_in(app, "sara")
    url = _submit(sara).headers["Location"]
    coach = signed_in(app, "maryam")
    form = {"csrf_token": token_for(coach, "/reviews"), "score-empathy": "2", "score-explains_why": "2"}
    assert coach.post(url + "/score", data=form).status_code == 303
    assert coach.post(url + "/score", data=dict(form, **{"score-empathy": "0"})).status_code == 303
    with app.app_context():
        assert _count(Evidence) == 3
        assert db.session.scalar(select(CallReview.coach_scores)) == {"empathy": 2, "explains_why": 2}


@pytest.mark.parametrize("changes,message", [
    ({"reference": ""}, "Give the call's reference"),
    ({"call_on": "2026-02-30"}, "There is no such day"),
    ({"call_on": "yesterday"}, "Write the date as YYYY-MM-DD"),
    ({"call_on": (date.today() + timedelta(days=3)).isoformat()}, "has not happened yet"),
    ({"transcript": "  "}, "Paste the transcript"),
    ({"transcript": "x" * (services.TRANSCRIPT_MAX + 1)}, "Keep the transcript to 8000 characters"),
    ({"score-explains_why": None}, "Give every criterion a score from 0 to 2."),
    ({"score-empathy": "3"}, "Give every criterion a score from 0 to 2."),
    ({"differently": ""}, "Write what you would do differently"),
    ({"channel": "fax"}, "Not a valid choice"),
])
def test_bad_input_re_renders_with_the_error_and_writes_nothing(app, team, changes, message):
    sara = signed_in(app, "sara")
    response = _submit(sara, **changes)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in page
    assert "CALL-2041" in page or changes.get("reference") == ""  # what was typed is kept
    with app.app_context():
        assert _count(CallReview) == 0


def test_a_jalali_date_is_read_in_persian(app, team):
    parisa = signed_in(app, "parisa")
    assert _submit(parisa, call_on="۱۴۰۵/۰۱/۰۱", rubric="rp-late").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(CallReview.call_on)) == date(2026, 3, 21)


def test_a_coach_scoring_without_every_criterion_is_shown_the_error(app, team):
    url = _submit(signed_in(app, "sara")).headers["Location"]
    coach = signed_in(app, "maryam")
    response = coach.post(url + "/score", data={"csrf_token": token_for(coach, "/reviews"), "score-empathy": "1",
                                                "comment": "kept"})
    assert response.status_code == 400
    assert "Give every criterion a score from 0 to 2." in response.get_data(as_text=True)
    assert "kept" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CallReview.calibrated_at)) is None and _count(Evidence) == 0


def test_only_the_agent_and_their_team_coaches_open_a_self_review(app, team):
    url = _submit(signed_in(app, "sara")).headers["Location"]
    missing = "/calls/999999"
    for username in ("omid", "reza", "manager"):
        client = signed_in(app, username)
        assert client.get(url).status_code == 404
        assert client.get(missing).status_code == 404
    assert "CALL-2041" not in signed_in(app, "reza").get("/reviews").get_data(as_text=True)
    assert "CALL-2041" not in signed_in(app, "omid").get("/calls").get_data(as_text=True)
    sara = signed_in(app, "sara")
    assert sara.post(url + "/score", data={"csrf_token": token_for(sara, "/calls"), "score-empathy": "2",
                                           "score-explains_why": "2"}).status_code == 404
    for username in ("maryam", "manager"):
        assert signed_in(app, username).get("/calls/new").status_code == 403
    # The coach's page of the agent lists the call for the coach who scores it, not for a manager.
    assert url in signed_in(app, "maryam").get(f"/coaching/people/{team.sara}").get_data(as_text=True)
    manager_view = signed_in(app, "manager").get(f"/coaching/people/{team.sara}")
    assert manager_view.status_code == 200 and url not in manager_view.get_data(as_text=True)


def test_the_service_refuses_a_coach_of_another_team(app, team):
    _submit(signed_in(app, "sara"))
    with app.app_context():
        review = db.session.scalar(select(CallReview))
        reza, sara = db.session.get(User, team.other_coach), db.session.get(User, team.sara)
        with pytest.raises(services.Refused):
            services.score(reza, review, sara, {"empathy": 2, "explains_why": 2}, "")
        assert _count(Evidence) == 0


def test_pages_in_persian(app, team):
    parisa = signed_in(app, "parisa")
    url = _submit(parisa).headers["Location"]
    page = parisa.get(url).get_data(as_text=True)
    assert 'dir="rtl"' in page and "در انتظار نمره‌ی مربی" in page and "Waiting" not in page
    assert "تماس‌های من" in parisa.get("/calls").get_data(as_text=True)


def test_a_coach_scoring_a_call_is_coaching_contact_for_the_support_cells(app, team):
    """GAP_MODEL.md: a period with a coach's review counts as coaching contact."""
    url = _submit(signed_in(app, "sara")).headers["Location"]
    settings = GapSettings()

    def contact():
        with app.app_context():
            return {r.item_id: r.value for r in cell_evidence(db.session, utcnow(), settings, team.sara, "policies",
                                                               "support") if r.source == "coaching_contact"}

    with app.app_context():
        db.session.get(User, team.sara).created_at = utcnow() - timedelta(days=40)
        db.session.commit()
    assert contact()["period-0"] == 0.0  # the agent's self-review alone is no contact
    coach = signed_in(app, "maryam")
    coach.post(url + "/score", data={"csrf_token": token_for(coach, "/reviews"), "score-empathy": "1",
                                     "score-explains_why": "1"})
    assert contact()["period-0"] == 1.0
