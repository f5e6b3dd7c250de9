"""LTI 1.3 grade passback against a platform built on ``lti1p3platform``: each activity's
score reaches its own line item once, whether the platform was down, the line item had to be
made, or two senders raced; a score that cannot be sent says so."""

from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from lms import db
from lms.db import utcnow
from lms.lti.grades import queue_score
from lms.lti.models import LtiAccount, LtiScoreRoute
from lms.outbox import deliver_due
from lms.outbox.models import Delivery

from .lti_helpers import launch_form, launched, platform, rows, signed_in_client, tool  # noqa: F401 (fixtures)
from .lti_platform import LEARNER, Launch, resign
from .quiz_helpers import pass_quiz, sheet, start, submit

def test_a_quiz_score_reaches_the_gradebook_once_after_the_platform_was_down(app, platform):
    browser = requests.Session()
    launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz"))
    client = signed_in_client(app, browser)
    platform.down = True
    attempt_id = start(client)
    assert submit(client, attempt_id, sheet(app, attempt_id, wrong=[])).status_code == 303
    with app.app_context():
        assert deliver_due() == {"sent": 0, "failed": 1, "waiting": 1}
        assert db.session.scalar(select(Delivery.last_error)).endswith("lineitem/scores]: 503")
    assert platform.scores == []
    platform.down = False
    with app.app_context():
        later = utcnow() + timedelta(hours=1)
        assert deliver_due(now=later)["sent"] == 1
        assert deliver_due(now=later + timedelta(hours=1))["sent"] == 0
    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["lineitem"] == "quiz-basics-quiz" and score["userId"] == "moodle-17"
    assert score["scoreGiven"] == score["scoreMaximum"] > 0
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")


def test_module_and_roleplay_scores_go_to_their_own_line_items(app, platform):
    from .quiz_helpers import complete
    from .test_roleplays import play

    browser = requests.Session()
    launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="roleplay:rp-late"))
    launched(browser, platform, "b", Launch("moodle-17", [LEARNER], activity="module:basics"))
    client = signed_in_client(app, browser)
    play(client, {"choice": "own", "persona": "upset"}, {"choice": "code"})  # the best path: resolved
    complete(app, client, "basics")
    with app.app_context():
        assert deliver_due()["sent"] == 2
    got = {s["lineitem"]: (s["scoreGiven"], s["scoreMaximum"], s.get("comment")) for s in platform.scores}
    assert got == {"roleplay-rp-late": (1.0, 1, "resolved"), "module-basics": (1, 1, None)}


def test_a_score_is_not_sent_for_an_activity_not_launched_through_lti(app, platform):
    browser = requests.Session()
    launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="roleplay:rp-late"))
    pass_quiz(app, signed_in_client(app, browser))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Delivery).where(Delivery.channel == "lti_score")) == 0


def test_a_link_with_only_the_line_items_container_gets_one_line_item_made_and_its_scores(app, platform):
    browser = requests.Session()
    launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz", ags="lineitems"))
    pass_quiz(app, signed_in_client(app, browser))
    with app.app_context():
        assert deliver_due()["sent"] == 1
    [item] = platform.lineitems.values()
    assert (item["label"], item["tag"], item["resourceLinkId"], item["scoreMaximum"]) == (
        "Basics quiz", "quiz:basics-quiz", "link-quiz:basics-quiz", 100)
    [score] = platform.scores
    assert f"{platform.base}/lineitems/{score['lineitem']}/lineitem" == item["id"]
    assert score["userId"] == "moodle-17" and score["scoreGiven"] == score["scoreMaximum"] > 0
    # a second score (a retake, queued as the quiz would) goes straight to the stored line item:
    # no search, no second line item
    searches = platform.searches
    with app.app_context():
        queue_score(db.session.scalar(select(LtiAccount.user_id)), "quiz:basics-quiz", "retake", 3, 4)
        db.session.commit()
        assert deliver_due()["sent"] == 1
    assert len(platform.scores) == 2 and len(platform.lineitems) == 1 and platform.searches == searches
    assert platform.scores[1]["lineitem"] == score["lineitem"]
    # another learner of the link: their route knows the line item from their launch on
    other = requests.Session()
    launched(other, platform, "b", Launch("moodle-18", [LEARNER], activity="quiz:basics-quiz", ags="lineitems"))
    pass_quiz(app, signed_in_client(app, other))
    with app.app_context():
        assert deliver_due()["sent"] == 1
    assert platform.scores[2]["userId"] == "moodle-18" and platform.scores[2]["lineitem"] == score["lineitem"]
    assert len(platform.lineitems) == 1 and platform.searches == searches


def test_a_line_item_made_by_someone_else_is_found_not_made_again(app, platform):
    item_id = f"{platform.base}/lineitems/made-by-teacher/lineitem"
    platform.lineitems[item_id] = {"id": item_id, "label": "Basics quiz", "scoreMaximum": 10,
                                   "resourceLinkId": "link-quiz:basics-quiz", "tag": "quiz:basics-quiz"}
    browser = requests.Session()
    launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz", ags="lineitems"))
    pass_quiz(app, signed_in_client(app, browser))
    with app.app_context():
        assert deliver_due()["sent"] == 1
    assert list(platform.lineitems) == [item_id] and platform.scores[0]["lineitem"] == "made-by-teacher"


def test_the_line_item_is_made_once_after_the_platform_was_down(app, platform):
    browser = requests.Session()
    launched(browser, platform, "a", Launch("moodle-17", [LEARNER], activity="module:basics", ags="lineitems"))
    from .quiz_helpers import complete

    platform.down = True
    complete(app, signed_in_client(app, browser), "basics")
    with app.app_context():
        assert deliver_due() == {"sent": 0, "failed": 1, "waiting": 1}
        assert db.session.scalar(select(Delivery.last_error)).startswith("LtiServiceException")
        assert db.session.scalar(select(LtiScoreRoute.lineitem_url)) is None
    assert platform.lineitems == {} and platform.scores == []
    platform.down = False
    with app.app_context():
        later = utcnow() + timedelta(hours=1)
        assert deliver_due(now=later)["sent"] == 1
        assert deliver_due(now=later + timedelta(hours=1))["sent"] == 0
    [item] = platform.lineitems.values()
    assert (item["label"], item["scoreMaximum"]) == ("Basics", 1)
    assert [s["lineitem"] for s in platform.scores] == ["made-1"]


def test_two_senders_of_one_link_at_once_make_one_line_item(app, platform):
    """Two learners' first scores, sent by two workers at the same moment: the second waits for
    the first's lock on the link's routes, then finds the line item stored."""
    from concurrent.futures import ThreadPoolExecutor

    from lms.lti.grades import send_score

    for hint, sub in (("a", "moodle-17"), ("b", "moodle-18")):
        launched(requests.Session(), platform, hint, Launch(sub, [LEARNER], activity="quiz:basics-quiz",
                                                            ags="lineitems"))
    with app.app_context():
        route_ids = db.session.scalars(select(LtiScoreRoute.id)).all()
    platform.slow_search = 0.5  # both would search and find nothing, were there no lock

    def send(route_id):
        with app.app_context():
            send_score({"route_id": route_id, "score_given": 1, "score_maximum": 1, "comment": None,
                        "timestamp": utcnow().isoformat() + "+00:00"})

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(send, route_ids))
    assert len(platform.lineitems) == 1 and platform.searches == 1
    assert sorted(s["userId"] for s in platform.scores) == ["moodle-17", "moodle-18"]
    assert len({s["lineitem"] for s in platform.scores}) == 1


@pytest.mark.parametrize("ags, why", [("none", "no score scope"), ("lineitems-readonly", "no right to make one")])
def test_a_launch_whose_score_cannot_be_sent_says_so_in_the_log(app, platform, caplog, ags, why):
    browser = requests.Session()
    if ags == "lineitems-readonly":  # a container, but no right to make line items in it
        launch = Launch("moodle-17", [LEARNER], activity="quiz:basics-quiz", ags="none")
        action, fields = launch_form(browser, platform, "a", launch)
        fields["id_token"] = resign(fields["id_token"], platform.private_pem, **{
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
                "lineitems": f"{platform.base}/lineitems"}})
    else:
        action, fields = launch_form(browser, platform, "a", Launch("moodle-17", [LEARNER],
                                                                    activity="quiz:basics-quiz", ags=ags))
    with caplog.at_level("INFO"):
        assert browser.post(action, data=fields, allow_redirects=False).status_code == 302
    assert "LTI launch of quiz:basics-quiz from Moodle sends no score: " in caplog.text and why in caplog.text
    assert rows(app)["lms_lti_score_route"] == 0
