"""Short-answer items (type: short): the typed answer's normalising and matching as plain
functions; the content check's refusals; a quiz with one taken through the Flask client (right,
wrong, Persian digits and letters, too long, autosave, review); item analysis and the xAPI
statement of a typed answer."""

import shutil
from datetime import timedelta
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from lms import db
from lms.catalog import load_catalog
from lms.catalog.items import KINDS, MAX_TYPED, InvalidResponse, normalise_typed
from lms.db import utcnow
from lms.item_analysis.queries import analyse
from lms.learning import attempts
from lms.learning.grading import InvalidSubmission, grade, read_responses
from lms.learning.models import AttemptAnswer, QuizAttempt
from lms.xapi import statements as build

from .conftest import TEST_CONTENT, sign_in, token_for
from .quiz_helpers import catalog, drawn, start, submit
from .test_content import edit, problems

SHORT = KINDS["short"]
QUIZ = "leading-quiz"  # draws one true/false and one short-answer item


@pytest.fixture(scope="module")
def content():
    return load_catalog(TEST_CONTENT)


@pytest.mark.parametrize("typed, folded", [
    ("  Authority   LIMITS. ", "authority limits"),  # trimmed, spaces collapsed, case-folded, final stop
    ("تمرين", "تمرین"),  # Arabic yeh as the Persian one
    ("كار", "کار"),  # Arabic kaf as the Persian one
    ("۲", "2"), ("٢", "2"),  # Persian and Arabic-Indic digits
    ("محدوده‌ی اختیار", "محدودهی اختیار"), ("محدودهی اختیار", "محدودهی اختیار"),  # with or without ZWNJ
    ("ایفای نقش؟", "ایفای نقش"), ("role-play!", "role-play"),  # final punctuation, either script
    ("30%", "30%"),  # a symbol is part of the answer
])
def test_typed_answers_are_normalised_before_matching(typed, folded):
    assert normalise_typed(typed) == folded


@pytest.mark.parametrize("typed, value", [
    ("Authority limits", 1.0), ("limits  of authority.", 1.0), ("حدود اختیار", 1.0),
    ("محدوده ی اختیار", 0.0),  # a space is not a ZWNJ: another word break
    ("محدودهی اختیار", 1.0), ("authority", 0.0), ("authority limits extra", 0.0),
])
def test_a_typed_answer_is_right_when_it_matches_an_accepted_answer_of_either_language(content, typed, value):
    assert SHORT.value(content.items["l-short1"], typed) == value


def test_a_typed_answer_is_read_trimmed_and_refused_when_too_long(content):
    item = content.items["l-short2"]
    assert SHORT.parse(item, ["  ۲  "]) == "۲" and SHORT.value(item, "۲") == 1.0
    assert SHORT.parse(item, ["   "]) is None and SHORT.parse(item, []) is None
    assert SHORT.parse(item, ["x" * MAX_TYPED]) == "x" * MAX_TYPED
    with pytest.raises(InvalidResponse) as refused:
        SHORT.parse(item, ["x" * (MAX_TYPED + 1)])
    assert refused.value.too_long
    with pytest.raises(InvalidResponse):
        SHORT.parse(item, ["2", "two"])  # one field, one answer


def test_grading_a_typed_answer_counts_its_points(content):
    quiz = content.quizzes[QUIZ]
    item = content.items["l-short3"]
    assert list(quiz.pools()[quiz.draw[1]]) == [i for i in quiz.items if i.type == "short"]
    assert item.dimension == "knowledge" and item.kind.dimensions == ("knowledge",)
    right = grade([item], {item.id: "تمرين"}, quiz.pass_mark)
    wrong = grade([item], {item.id: "lecture"}, quiz.pass_mark)
    assert (right.score, right.passed, wrong.score, wrong.passed) == (1.0, True, 0.0, False)


# -- the content check ---------------------------------------------------------------------

@pytest.fixture
def copy(tmp_path):
    return shutil.copytree(TEST_CONTENT, tmp_path / "content")


def _refused(root, old, new):
    edit(root / "quizzes/leading/quiz.yaml", old, new)
    return "\n".join(problems(root))


@pytest.mark.parametrize("old, new, message", [
    ("fa: [ایفای نقش, تمرین]}", "}", "quizzes/leading/quiz.yaml:65: item l-short3.answer: must map each language "
     "(en, fa) to a list of accepted answers"),
    ("fa: [ایفای نقش, تمرین]}", "fa: []}", "item l-short3.answer: fa: needs at least one accepted answer"),
    ("fa: [ایفای نقش, تمرین]}", "fa: ['[[TODO fa]] role-play']}", "item l-short3.answer: still holds the "
     "import's placeholder"),
    ("[role-play, practice]", f"[role-play, {'x' * (MAX_TYPED + 1)}]", "is longer than a learner may type (200"),
    ("dimension: knowledge\n    lesson: leading-01-back-them\n    text: {en: \"What do a coach",
     "dimension: belief\n    lesson: leading-01-back-them\n    text: {en: \"What do a coach",
     "item l-short3.dimension: a short item in a quiz measures knowledge"),
    ("    answer: {en: [role-play", "    options: [{id: a, text: {en: x, fa: y}}]\n    answer: {en: [role-play",
     "item l-short3.options: a short item has no options"),
])
def test_the_content_check_refuses_a_broken_key(copy, old, new, message):
    assert message in _refused(copy, old, new)


def test_the_lint_refuses_a_stem_that_holds_an_accepted_answer(copy):
    found = _refused(copy, "What do a coach and an agent do when they replay a hard call together?",
                     "In a role-play, what do a coach and an agent do when they replay a hard call together?")
    assert "item l-short3.answer.en: the accepted answer 'role-play' stands in the question's text" in found
    found = _refused(copy, "به فهرست مکتوب", "به حدود اختیار یعني فهرست مکتوب")  # Persian, Arabic yeh too
    assert "item l-short1.answer.fa: the accepted answer 'حدود اختیار' stands in the question's text" in found


# -- through the Flask client --------------------------------------------------------------

@pytest.fixture
def coach(app, make_user):
    """A coach's signed-in client (the leaders' quiz is theirs) and their id."""
    user_id = make_user("maryam", role="coach")
    client = app.test_client()
    sign_in(client, "maryam")
    return client, user_id


def _short_drawn(app, attempt_id):
    return next(item_id for item_id, _ in drawn(app, attempt_id) if catalog(app).items[item_id].type == "short")


def _sheet(app, attempt_id, typed):
    tf = next(item_id for item_id, _ in drawn(app, attempt_id) if item_id.startswith("l-tf"))
    return {f"item-{tf}": "true" if catalog(app).items[tf].answer else "false",
            f"item-{_short_drawn(app, attempt_id)}": typed}


def _stored(app, attempt_id, item_id):
    with app.app_context():
        answer = db.session.get(QuizAttempt, attempt_id).answers
        return next((a.response, a.value) for a in answer if a.item_id == item_id)


RIGHT = {"l-short1": "حدود اختيار", "l-short2": "۲", "l-short3": "ROLE-PLAY."}  # Persian/Arabic forms too


def test_a_quiz_asks_a_typed_answer_autosaves_it_and_grades_it_right(app, coach):
    client, _ = coach
    attempt_id = start(client, QUIZ)
    item_id = _short_drawn(app, attempt_id)
    page = client.get(f"/quizzes/{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert f'<label class="short-answer" for="item-{item_id}">Type your answer</label>' in page
    assert f'name="item-{item_id}" value="" dir="auto" maxlength="{MAX_TYPED}"' in page
    saved = client.post(f"/quizzes/{QUIZ}/attempts/{attempt_id}/answers",
                        data={"csrf_token": token_for(client), f"item-{item_id}": "draft <b>answer</b>"})
    assert saved.status_code == 200 and saved.json == {"saved": 1, "closed": False}
    assert _stored(app, attempt_id, item_id) == ('"draft <b>answer</b>"', None)  # kept as typed
    page = client.get(f"/quizzes/{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert 'value="draft &lt;b&gt;answer&lt;/b&gt;"' in page  # the saved text fills the box again, escaped
    assert "Answered 1 of 2" in page

    assert submit(client, attempt_id, _sheet(app, attempt_id, RIGHT[item_id]), QUIZ).status_code == 303
    assert _stored(app, attempt_id, item_id)[1] == 1.0
    result = client.get(f"/quizzes/{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    accepted = "; ".join(f"<bdi>{a}</bdi>" for a in catalog(app).items[item_id].answer["en"])
    assert f"<strong>Your answer:</strong> <bdi>{RIGHT[item_id]}</bdi>" in result
    assert f"<strong>Accepted answers:</strong> {accepted}" in result


def test_a_wrong_typed_answer_earns_nothing_and_the_review_names_the_accepted_ones(app, coach):
    client, _ = coach
    attempt_id = start(client, QUIZ)
    item_id = _short_drawn(app, attempt_id)
    assert submit(client, attempt_id, _sheet(app, attempt_id, "<script>x</script>"), QUIZ).status_code == 303
    assert _stored(app, attempt_id, item_id)[1] == 0.0
    result = client.get(f"/quizzes/{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert "<bdi>&lt;script&gt;x&lt;/script&gt;</bdi>" in result and "<script>x" not in result


def test_a_too_long_answer_is_refused_with_a_reason_and_nothing_is_saved(app, coach):
    client, _ = coach
    attempt_id = start(client, QUIZ)
    item_id = _short_drawn(app, attempt_id)
    for path in ("answers", ""):
        url = f"/quizzes/{QUIZ}/attempts/{attempt_id}" + (f"/{path}" if path else "")
        refused = client.post(url, data={"csrf_token": token_for(client), f"item-{item_id}": "x" * (MAX_TYPED + 1)})
        assert refused.status_code == 400
        assert f"A typed answer may be at most {MAX_TYPED} characters long" in refused.get_data(as_text=True)
    assert _stored(app, attempt_id, item_id) == (None, None)
    with app.app_context():
        assert db.session.get(QuizAttempt, attempt_id).status == "open"


def test_the_persian_page_asks_a_typed_answer_right_to_left(app, make_user):
    make_user("nazanin", role="coach", locale="fa")
    client = app.test_client()
    sign_in(client, "nazanin")
    attempt_id = start(client, QUIZ)
    item_id = _short_drawn(app, attempt_id)
    page = client.get(f"/quizzes/{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert 'dir="rtl"' in page and f'id="item-{item_id}" name="item-{item_id}" value="" dir="auto"' in page
    assert submit(client, attempt_id, _sheet(app, attempt_id, RIGHT[item_id]), QUIZ).status_code == 303
    result = client.get(f"/quizzes/{QUIZ}/attempts/{attempt_id}").get_data(as_text=True)
    assert "; ".join(f"<bdi>{a}</bdi>" for a in catalog(app).items[item_id].answer["fa"]) in result


def test_the_form_reader_refuses_a_too_long_answer_before_anything_is_stored(content):
    view = SimpleNamespace(item=content.items["l-short1"], option_order=None)
    assert read_responses([view], MultiDict({"item-l-short1": " a  b "})) == {"l-short1": "a b"}
    with pytest.raises(InvalidSubmission) as refused:
        read_responses([view], MultiDict({"item-l-short1": "x" * (MAX_TYPED + 1)}))
    assert refused.value.too_long


# -- item analysis and xAPI ----------------------------------------------------------------

def test_item_analysis_gives_a_short_item_facility_and_discrimination_but_no_options(app, make_user):
    cat = catalog(app)
    quiz, now = cat.quizzes[QUIZ], utcnow()
    users = [make_user(f"coach{n}", role="coach") for n in range(8)]
    with app.app_context():
        for n, user_id in enumerate(users):
            when = now - timedelta(days=10 - n)
            attempt = attempts.start_or_resume(user_id, quiz, cat, "fa", now=when)
            good = n % 2 == 0  # the better half answers both right, the rest both wrong
            responses = {}
            for view in attempts.shown_items(attempt, cat):
                item = view.item
                if item.type == "short":
                    responses[item.id] = item.answer["fa"][0] if good else "نمی‌دانم"
                else:
                    responses[item.id] = item.answer if good else not item.answer
            attempts.submit(user_id, quiz, cat, attempt.id, responses, now=when + timedelta(minutes=2), locale="fa")
        stats = analyse(db.session, cat).items
        shorts = [s for item_id, s in stats.items() if cat.items[item_id].type == "short"]
        assert sum(s.n for s in shorts) == 8
        for s in shorts:
            assert s.option_rates == {} and s.key_longest_share is None and "unused_distractor" not in s.flags
            if {0.0, 1.0} <= {a.value for a in db.session.query(AttemptAnswer).filter_by(item_id=s.item.id)}:
                assert s.discrimination == pytest.approx(1.0)
    admin = make_user("admin", role="admin")
    assert admin
    client = app.test_client()
    sign_in(client, "admin")
    page = client.get("/admin/items/")
    assert page.status_code == 200 and any(s.item.id in page.get_data(as_text=True) for s in shorts)


def test_the_answered_statement_carries_the_typed_text(content):
    item = content.items["l-short1"]
    assert build.format_response(item, "حدود اختیار") == "حدود اختیار"
    activity = build.item_activity(build.Site("https://academy.example/"), item)
    assert activity["definition"]["interactionType"] == "fill-in" and "choices" not in activity["definition"]
