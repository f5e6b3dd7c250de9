"""Role-plays: the engine as plain functions, validation of scenario files, playing through
the pages, and coach review with its permissions."""

import shutil
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from lms import db
from lms.catalog import ContentError, load_catalog
from lms.evidence import Evidence
from lms.roleplays.engine import (
    InvalidStep,
    Reply,
    criterion_scores,
    debrief,
    next_node,
    persona_score,
    shown_choices,
)
from lms.roleplays.models import ReplyReview, RoleplayRun, RoleplayStep

from .conftest import TEST_CONTENT, sign_in, token_for

PERSONAS = {"upset": None, "hurried": None}


@pytest.fixture(scope="module")
def rp():
    return load_catalog(TEST_CONTENT).roleplays["rp-late"]


# -- engine -------------------------------------------------------------------------------

def test_replies_follow_their_branch(rp):
    assert next_node(rp, "open", Reply("own", persona="upset"), PERSONAS) == "offer"
    assert next_node(rp, "open", Reply("policy", persona="hurried"), PERSONAS) == "lost_end"
    assert next_node(rp, "open", Reply(typed="Sorry, let me fix it", persona="upset"), PERSONAS) == "offer"
    assert rp.best_path() == ["open", "offer", "resolved_end"]


@pytest.mark.parametrize("node,reply", [
    ("open", Reply("own")),  # the persona question is unanswered
    ("open", Reply("nope", persona="upset")),
    ("open", Reply("own", typed="both", persona="upset")),
    ("offer", Reply(typed="typing is not offered here")),
    ("offer", Reply("code", persona="upset")),
    ("resolved_end", Reply("code")),
])
def test_impossible_replies_are_refused(rp, node, reply):
    with pytest.raises(InvalidStep):
        next_node(rp, node, reply, PERSONAS)


def steps(*rows):
    return [SimpleNamespace(seq=i, node_id=n, choice_id=c, typed_reply=t, persona_correct=p)
            for i, (n, c, t, p) in enumerate(rows)]


def test_scores_are_means_per_criterion_and_reviews_count(rp):
    taken = steps(("open", "own", None, True), ("offer", "wait", None, None))
    assert criterion_scores(rp, taken, {}) == {"empathy": 1.0, "explains_why": 0.0}
    typed = steps(("open", None, "my words", False), ("offer", "code", None, None))
    assert criterion_scores(rp, typed, {}) == {"empathy": 1.0, "explains_why": 1.0}
    assert criterion_scores(rp, typed, {0: ({"empathy": 1, "explains_why": 0}, 2)}) == {"empathy": 0.75,
                                                                                        "explains_why": 0.5}
    # A review given on the old 0-4 scale keeps its own top.
    assert criterion_scores(rp, typed, {0: ({"empathy": 3, "explains_why": 0}, 4)})["empathy"] == 0.875
    assert persona_score(typed) == (0, 1)


def test_debrief_pairs_each_step_with_the_best_reply(rp):
    lines = debrief(rp, steps(("open", "policy", None, False)))
    assert lines[0].chosen.id == "policy" and lines[0].best.id == "own"


# -- validation ---------------------------------------------------------------------------

@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    return root


@pytest.mark.parametrize("old,new,expected", [
    ("        next: escalated_end\n", "        next: offer\n",
     "quizzes/basics/roleplay-late.yaml:59: nodes.escalated_end: is unreachable from the start node 'open'"),
    ("    outcome: escalated\n", "",
     "quizzes/basics/roleplay-late.yaml:59: nodes.escalated_end.choices: is missing"),
    ("        scores: {explains_why: 0}\n", "        scores: {}\n",
     "nodes.offer.choices[1].scores: a choice must score at least one criterion"),
    ("fa: \"خب حالا چه؟\"", "de: \"x\"", "nodes.offer.customer.fa: is missing or empty"),
    ("        next: resolved_end\n", "        next: open\n", "nodes.open: the conversation loops: open -> offer -> open"),
    ("persona: upset", "persona: grumpy", "quizzes/basics/roleplay-late.yaml:7: persona: no persona 'grumpy'"),
    ("        next: lost_end\n", "        next: nowhere\n", "nodes.open.choices[1].next: no node 'nowhere'"),
    ("scores: {empathy: 1}", "scores: {patience: 1}", "nodes.open.choices[0].scores.patience: is not one of the criteria"),
    ("      empathy:\n        0:", "      empathie:\n        0:",
     "nodes.open.anchors.empathy: is missing: a typed reply is scored on every criterion, 0 to 2"),
    ("        2: {en: \"says why", "        3: {en: \"says why",
     "nodes.open.anchors.explains_why.3: is not a known field"),
    ("    model_answer: {en:", "    model_answr: {en:", "nodes.open.model_answer: is missing"),
    ("scores: {explains_why: 1, empathy: 1}", "scores: {empathy: 1}",
     "quizzes/basics/roleplay-late.yaml:9: criteria.explains_why: is scored at 1 point(s) of the best path"),
])
def test_broken_roleplays_name_file_and_node(content, old, new, expected):
    path = content / "quizzes/basics/roleplay-late.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog(content)
    found = [str(p) for p in caught.value.problems]
    assert any(expected in p for p in found), found


# -- pages --------------------------------------------------------------------------------

def shown_at(app, run_id, choice_id, node_id=None):
    """The position the run's page shows a choice at (choices are shuffled per run)."""
    with app.app_context():
        run = db.session.get(RoleplayRun, run_id)
        node = app.extensions["lms"].catalog.roleplays[run.roleplay_id].nodes[node_id or run.current_node]
        return str([c.id for c in shown_choices(node, run.shuffle_seed)].index(choice_id) + 1)


def start_run(client):
    response = client.post("/roleplays/rp-late/start", data={"csrf_token": token_for(client, "/roleplays/rp-late")})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def play(client, *replies):
    """Start a run and post each reply dict (a choice by its id); returns the run id."""
    run_id = start_run(client)
    for seq, data in enumerate(replies):
        if "choice" in data:
            data = dict(data, choice=shown_at(client.application, run_id, data["choice"]))
        posted = client.post(f"/roleplays/rp-late/runs/{run_id}",
                             data=dict(data, seq=seq, csrf_token=token_for(client)))
        assert posted.status_code == 303, posted.get_data(as_text=True)
    return run_id


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_playing_the_best_path_resolves_and_debriefs(app, client, make_user):
    user_id = make_user("sara", team="Alborz")
    sign_in(client, "sara")
    page = client.get("/roleplays/rp-late").get_data(as_text=True)
    assert "A kettle is two days late." in page and "The upset customer" not in page  # persona not given away
    run_id = play(client, {"choice": "own", "persona": "upset"}, {"choice": "code"})
    debrief_page = client.get(f"/roleplays/rp-late/runs/{run_id}").get_data(as_text=True)
    assert "Resolved" in debrief_page and "Reason and remedy." in debrief_page and "1 / 1" in debrief_page
    with app.app_context():
        run = db.session.get(RoleplayRun, run_id)
        assert (run.status, run.outcome) == ("finished", "resolved")
        rows = db.session.scalars(select(Evidence).where(Evidence.user_id == user_id)).all()
        assert {(e.topic, e.dimension, e.value) for e in rows} == {
            ("policies", "knowledge", 1.0), ("personas", "knowledge", 1.0), ("policies", "belief", 1.0)}


def test_hiding_behind_policy_loses_the_customer_and_shows_the_best_reply(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    run_id = play(client, {"choice": "policy", "persona": "hurried"})
    page = client.get(f"/roleplays/rp-late/runs/{run_id}").get_data(as_text=True)
    assert "Customer lost" in page and "Best reply here:" in page and "this customer was showing" in page
    with app.app_context():
        belief = db.session.scalar(select(Evidence.value).where(Evidence.dimension == "belief"))
        assert belief == 0.0


def test_an_earlier_debrief_hides_its_best_replies_while_the_scenario_is_played_again(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    run_id = play(client, {"choice": "policy", "persona": "hurried"})
    start_run(client)
    page = client.get(f"/roleplays/rp-late/runs/{run_id}").get_data(as_text=True)
    assert "Best reply here:" not in page and "I&#39;ll sort it out now" not in page
    assert "best replies of earlier runs are hidden until you finish" in page


def test_a_repeated_or_stale_step_moves_the_run_once(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    run_id = play(client, {"choice": "own", "persona": "upset"})
    again = client.post(f"/roleplays/rp-late/runs/{run_id}",
                        data={"choice": shown_at(app, run_id, "own", "open"), "persona": "upset", "seq": 0,
                              "csrf_token": token_for(client)})
    assert again.status_code == 303
    assert count(app, RoleplayStep) == 1
    with app.app_context():
        assert db.session.get(RoleplayRun, run_id).current_node == "offer"


def test_a_bad_reply_is_a_400_and_changes_nothing(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    run_id = start_run(client)
    run_url = f"/roleplays/rp-late/runs/{run_id}"
    own = shown_at(app, run_id, "own")
    bad = client.post(run_url, data={"choice": own, "seq": 0, "csrf_token": token_for(client)})  # no persona
    assert bad.status_code == 400 and "which persona" in bad.get_data(as_text=True)
    unknown = client.post(run_url, data={"choice": "own", "persona": "upset", "seq": 0, "csrf_token": token_for(client)})
    assert unknown.status_code == 400 and "unknown reply" in unknown.get_data(as_text=True)  # ids are not posted
    assert count(app, RoleplayStep) == 0 and count(app, Evidence) == 0



def test_a_refused_reply_shows_the_same_moment_again_with_what_was_typed(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    run_id = start_run(client)
    run_url = f"/roleplays/rp-late/runs/{run_id}"
    both = client.post(run_url, data={"choice": shown_at(app, run_id, "own"), "typed": "My <own> words",
                                      "persona": "upset", "seq": 0, "csrf_token": token_for(client)})
    page = both.get_data(as_text=True)
    assert both.status_code == 400 and "both sent" in page and 'class="error"' in page
    assert "My &lt;own&gt; words</textarea>" in page and 'value="upset" required checked' in page
    assert 'name="seq" value="0"' in page  # the same moment, ready to send again
    empty = client.post(run_url, data={"choice": "write", "typed": " ", "persona": "upset", "seq": 0,
                                       "csrf_token": token_for(client)})
    assert empty.status_code == 400 and "pick one reply or type your own" in empty.get_data(as_text=True)
    assert count(app, RoleplayStep) == 0
    written = client.post(run_url, data={"choice": "write", "typed": "My own words", "persona": "upset", "seq": 0,
                                         "csrf_token": token_for(client)})
    assert written.status_code == 303
    with app.app_context():
        step = db.session.scalar(select(RoleplayStep))
        assert (step.choice_id, step.typed_reply) == (None, "My own words")


def test_choices_are_shuffled_per_run_and_posted_by_position(app, client, make_user):
    make_user("sara", team="Alborz")
    sign_in(client, "sara")
    orders = set()
    for _ in range(12):
        run_id = play(client, {"choice": "policy", "persona": "upset"})  # lost at once: the run ends
        orders.add(shown_at(app, run_id, "own", "open"))
    assert orders == {"1", "2"}
    page = client.get(f"/roleplays/rp-late/runs/{start_run(client)}").get_data(as_text=True)
    assert 'value="own"' not in page and 'value="1"' in page


def test_agents_never_see_each_others_runs(app, make_user):
    make_user("sara", team="Alborz")
    make_user("omid", team="Alborz")
    sara, omid = app.test_client(), app.test_client()
    sign_in(sara, "sara")
    sign_in(omid, "omid")
    run_id = play(sara, {"choice": "own", "persona": "upset"})
    assert omid.get(f"/roleplays/rp-late/runs/{run_id}").status_code == 404
    post = omid.post(f"/roleplays/rp-late/runs/{run_id}", data={"choice": "1", "seq": 1,
                                                                "csrf_token": token_for(omid)})
    assert post.status_code == 404 and count(app, RoleplayStep) == 1


def test_typed_replies_wait_for_their_own_coach_who_scores_them(app, make_user):
    agent_id = make_user("sara", team="Alborz")
    make_user("coach", role="coach", coach_of=("Alborz",))
    make_user("other", role="coach", coach_of=("Zagros",))
    sara = app.test_client()
    sign_in(sara, "sara")
    run_id = play(sara, {"typed": "I'm so sorry, I will fix it now.", "persona": "upset"}, {"choice": "code"})
    with app.app_context():
        step_id = db.session.scalar(select(RoleplayStep.id).where(RoleplayStep.typed_reply.is_not(None)))

    other = app.test_client()
    sign_in(other, "other")
    assert "fix it now" not in other.get("/reviews").get_data(as_text=True)
    assert other.get(f"/reviews/{step_id}").status_code == 404
    assert sara.get("/reviews").status_code == 403

    coach = app.test_client()
    sign_in(coach, "coach")
    assert "Sara" in coach.get("/reviews").get_data(as_text=True)
    form = coach.get(f"/reviews/{step_id}").get_data(as_text=True)
    assert "MODEL-ANSWER" in form and "ANCHOR-0" in form and "ANCHOR-2" in form  # what 0, 1 and 2 look like
    incomplete = coach.post(f"/reviews/{step_id}", data={"score-empathy": "2", "csrf_token": token_for(coach, "/reviews")})
    assert incomplete.status_code == 400 and count(app, ReplyReview) == 0
    beyond = coach.post(f"/reviews/{step_id}", data={"score-empathy": "3", "score-explains_why": "1",
                                                     "csrf_token": token_for(coach, "/reviews")})
    assert beyond.status_code == 400 and count(app, ReplyReview) == 0  # the scale is 0-2
    saved = coach.post(f"/reviews/{step_id}", data={"score-empathy": "2", "score-explains_why": "1",
                                                    "comment": "Good ownership.", "csrf_token": token_for(coach, "/reviews")})
    assert saved.status_code == 303
    again = coach.post(f"/reviews/{step_id}", data={"score-empathy": "1", "score-explains_why": "1",
                                                    "csrf_token": token_for(coach, "/reviews")})
    assert again.status_code == 400 and count(app, ReplyReview) == 1
    with app.app_context():
        reviewed = db.session.scalars(select(Evidence).where(Evidence.source == "review",
                                                             Evidence.user_id == agent_id)).all()
        assert sorted(e.value for e in reviewed) == [0.5, 1.0]
    page = sara.get(f"/roleplays/rp-late/runs/{run_id}").get_data(as_text=True)
    assert "Good ownership." in page and "Your coach's review:" in page
