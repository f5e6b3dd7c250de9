"""Question import (``flask lms import-questions``): GIFT and Moodle XML files written the way
Moodle's own format tests write theirs become draft files our catalogue loads; what has no
item kind here is reported with its line; a broken file writes nothing."""

import io
import shutil
from pathlib import Path

import pytest
import yaml
from werkzeug.datastructures import FileStorage

from lms.catalog import ContentError, load_catalog
from lms.question_import.gift import read_gift
from lms.question_import.importing import ImportFailed, import_questions

from .conftest import TEST_CONTENT, signed_in, token_for

DATA = Path(__file__).parent / "data" / "import"


@pytest.fixture
def content(tmp_path):
    """A copy of the test content, to import into and load."""
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    return root


def run(app, *args):
    return app.test_cli_runner().invoke(args=["lms", "import-questions", *map(str, args)])


def drafted(root):
    """The draft items the catalogue loaded, by id."""
    catalog = load_catalog(root)
    return {item.id: item for items in catalog.drafts.values() for item in items}


def test_gift_file_of_every_type_imports_and_loads(app, content):
    result = run(app, DATA / "questions.gift", "--into", content / "quizzes/imported", "--topic", "product")
    assert result.exit_code == 0, result.output
    assert "12 of 19 question(s) imported" in result.output
    for line, reason in [(55, "matching"), (62, "numerical"), (64, "numerical"),
                         (66, "numerical"), (73, "essay"), (76, "description"),
                         (86, "needs exactly one answer with full marks; this one has 2")]:
        _skipped_line(result.output, line, reason)
    assert "questions-001 (line 7, policies, single)" in result.output  # the prompt to tag each item
    assert "Note: the content check reads drafts in" in result.output  # not the app's content folder

    # flaws the content check would refuse in a quiz, named at import already
    assert "line 79 (questions-016): option c is a catch-all" in result.output
    assert "line 79 (questions-016): the key is the strictly longest option" in result.output
    items = drafted(content)
    assert len(items) == 12 and {item.dimension for item in items.values()} == {"untagged"}
    window = items["questions-001"]  # [html], feedback of the key and general feedback
    assert window.topic == "policies" and window.tags == ("refunds",)  # category path: topic, then pool
    assert window.text["en"] == "<p>A customer bought a kettle <strong>20 days</strong> ago. Can they return it?</p>"
    assert window.answer == "a" and "30 days from delivery" in window.explanation["en"]
    assert "lesson covers the window" in window.explanation["en"]
    assert window.text["fa"].startswith("<p>[[TODO fa]]")
    methods = items["questions-002"]  # %50% weights: every option with marks, all or nothing
    assert methods.type == "multiple" and methods.answer == frozenset({"a", "b"})
    receipt = items["questions-003"]  # {FALSE#wrong#right####general}: the right answer's feedback
    assert receipt.type == "true_false" and receipt.answer is False
    assert "Right." in receipt.explanation["en"] and "one proof among several" in receipt.explanation["en"]
    assert items["questions-004"].answer is True
    escapes = items["questions-005"]  # \{ \} \= \~ \# in [plain]; the category names no topic: --topic
    assert "macro looks like {name} and 2 = 2 ~ 3 # ok" in escapes.text["en"] and escapes.topic == "product"
    assert "<strong>best</strong> for a <em>returning</em>" in items["questions-006"].text["en"]  # [markdown]
    auto = items["questions-007"]  # [moodle]: literal asterisks; an answer in its own [html]
    assert '* "I\'ve called three times" *' in auto.text["en"]
    assert auto.options[0].text["en"] == "Acknowledge the repeated effort"  # options are plain text
    assert "_____" in items["questions-008"].text["en"]  # missing word: the answers fill the gap

    # short answer: the answers with full marks are accepted, the rest reported
    short = items["questions-009"]  # {=resolution =%50%fix#Close.}
    assert short.type == "short" and short.answer["en"] == ("resolution",)
    assert short.answer["fa"] == ("[[TODO fa]] resolution",)  # a draft may hold the placeholder
    assert 'line 52 (questions-009): answers left out (our short answers are right or wrong): "fix" (partial ' \
        "credit)" in result.output
    assert "line 52 (questions-009): write the accepted Persian answers" in result.output
    gap = items["questions-018"]  # missing-word form of short answer, the right answer's feedback
    assert gap.type == "short" and gap.answer["en"] == ("FCR", "first contact resolution")
    assert "_____ in the weekly report" in gap.text["en"]
    assert "Right: first contact resolution." in gap.explanation["en"]
    assert "line 92 (questions-019): the question's text holds an accepted answer" in result.output


def _skipped_line(output, line, reason):
    found = [text for text in output.splitlines() if text.strip().startswith((f"line {line} ", f"line {line}:"))]
    assert found and reason in found[0], output


def test_moodle_xml_of_every_type_imports_and_loads(app, content):
    result = run(app, DATA / "questions.xml", "--format", "moodle-xml", "--into", content / "quizzes/imported",
                 "--map", "Week one=personas")
    assert result.exit_code == 0, result.output
    assert "6 of 12 question(s) imported" in result.output
    for line, reason in [(119, "numerical"), (125, "matching"), (132, "essay"),
                         (138, "description"), (143, "cloze"), (148, "ddwtos")]:
        _skipped_line(result.output, line, reason)

    items = drafted(content)
    first = items["questions-001"]  # HTML in CDATA, sanitised: no script survives
    assert first.topic == "communication" and first.tags == ("empathy",)
    assert "<em>" in first.text["en"] and "alert" not in first.text["en"]
    assert "line 14 (questions-001): an image was left out" in result.output
    assert "name the effort" in first.explanation["en"] and "Feelings before facts" in first.explanation["en"]
    assert "Facts come second" not in first.explanation["en"]  # wrong options' feedback: reported instead
    assert "feedback on wrong options was left out" in result.output
    listening = items["questions-002"]  # markdown, <single>false</single> with weights
    assert listening.type == "multiple" and listening.answer == frozenset({"a", "b"})
    assert "<strong>active listening</strong>" in listening.text["en"]
    assert items["questions-003"].answer is False  # truefalse, moodle_auto_format
    plain = items["questions-004"]  # plain_text: markup characters stay characters
    assert plain.topic == "personas" and "&lt;at most&gt;" in plain.text["en"]
    assert items["questions-005"].type == "short" and items["questions-005"].answer["en"] == ("30",)
    owner = items["questions-012"]  # shortanswer: fraction 100 accepted; a wildcard and 50% reported
    assert owner.answer["en"] == ("Billing",) and "Disputes go to Billing." in owner.explanation["en"]
    assert 'line 153 (questions-012): answers left out (our short answers are right or wrong): "Bill*" (a ' \
        'wildcard; answers here match whole); "Finance" (partial credit)' in result.output
    assert "line 153 (questions-012): the source matched answers case-sensitively; here case is ignored" \
        in result.output


def test_a_broken_gift_file_writes_nothing_and_names_its_line(app, content):
    into = content / "quizzes/imported"
    result = run(app, DATA / "broken.gift", "--into", into, "--topic", "product")
    assert result.exit_code == 1
    assert "broken.gift: line 6: a blank line inside a question" in result.output
    assert "Nothing written" in result.output and not into.exists()


@pytest.mark.parametrize("name, message", [
    ("xxe.xml", "line 1: a DOCTYPE is not allowed"),
    ("broken.xml", "line 10: not well-formed XML"),
])
def test_unsafe_or_broken_xml_writes_nothing(tmp_path, name, message):
    with pytest.raises(ImportFailed) as failed:
        import_questions(DATA / name, "moodle-xml", tmp_path / "out", topic="product")
    assert message in str(failed.value) and "root:" not in str(failed.value)
    assert not (tmp_path / "out").exists()


def test_a_category_naming_no_topic_needs_topic_and_writes_nothing(tmp_path):
    with pytest.raises(ImportFailed) as failed:
        import_questions(DATA / "questions.gift", "gift", tmp_path / "out")
    assert "line 30: category '$course$/top/Onboarding week' names none of our topics" in str(failed.value)
    assert not (tmp_path / "out").exists()


def test_an_existing_draft_is_not_overwritten(tmp_path):
    import_questions(DATA / "questions.gift", "gift", tmp_path, topic="product")
    before = (tmp_path / "questions.yaml").read_text()
    with pytest.raises(ImportFailed, match="exists already"):
        import_questions(DATA / "questions.gift", "gift", tmp_path, topic="policies")
    assert (tmp_path / "questions.yaml").read_text() == before


def test_an_untagged_item_is_refused_in_a_quiz(content):
    quiz = content / "quizzes/basics/quiz.yaml"
    quiz.write_text(quiz.read_text().replace("    dimension: knowledge", "    dimension: untagged", 1))
    with pytest.raises(ContentError) as refused:
        load_catalog(content)
    assert "item b-single.dimension: must be one of knowledge, belief, support, not 'untagged'" in str(refused.value)


def test_a_placeholder_is_refused_in_a_quiz(content):
    quiz = content / "quizzes/basics/quiz.yaml"
    quiz.write_text(quiz.read_text().replace('fa: "در تماس عصبانی اول چه می‌آید؟"', 'fa: "[[TODO fa]] English"'))
    with pytest.raises(ContentError) as refused:
        load_catalog(content)
    assert "quizzes/basics/quiz.yaml:20: item b-single.text.fa: still holds the import's placeholder" \
        in str(refused.value)


@pytest.mark.parametrize("source, texts", [
    # a comment line neither splits a question nor joins two
    ("Q one\n// note\n{T}\n\n// note\n\nQ two{F}", ["Q one", "Q two"]),
    ("// only comments\n\n  Q one {T}  \n", ["Q one"]),
    # escapes, and a single colon in the text
    (r"Say \{hi\} \= hello\: ok?{T}", ["Say {hi} = hello: ok?"]),
])
def test_gift_grammar_cases(source, texts):
    assert [q.text for q in read_gift(source)] == texts


def test_gift_true_false_feedback_order():
    """{TRUE#shown to a wrong answer#shown to a right answer}, as Moodle reads it."""
    (question,) = read_gift("The sky is blue.{TRUE#Look again.#Well done.}")
    true, false = question.answers
    assert (true.fraction, true.feedback) == (1.0, "Well done.")
    assert (false.fraction, false.feedback) == (0.0, "Look again.")


def upload(client, path, action, **fields):
    """Post the file from the import page, as a browser would, pressing ``action``."""
    data = {"csrf_token": token_for(client, "/admin/questions/import"), action: "",
            "file": FileStorage(io.BytesIO(path.read_bytes()), path.name), **fields}
    return client.post("/admin/questions/import", data=data, content_type="multipart/form-data")


def test_the_page_previews_the_report_and_downloads_the_draft(app, make_user, tmp_path, content):
    make_user("admin", role="admin")
    admin = signed_in(app, "admin")
    assert 'href="/admin/questions/import"' in admin.get("/admin/").get_data(as_text=True)
    page = upload(admin, DATA / "questions.xml", "preview", format="moodle-xml", topic="product")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "6 of 12 questions can be taken over" in html
    assert "<td>143</td><td dir=\"auto\">Cloze</td><td>cloze (embedded answers)" in html
    download = upload(admin, DATA / "questions.xml", "download", format="moodle-xml", topic="product")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="questions.yaml"'
    draft = content / "quizzes/imported/questions.yaml"  # the admin adds it to the content folder
    draft.parent.mkdir()
    draft.write_bytes(download.data)
    assert len(drafted(content)) == 6 and yaml.safe_load(download.data)["kind"] == "draft"


def test_the_page_names_the_broken_line_and_is_for_admins_only(app, make_user):
    make_user("admin", role="admin")
    make_user("coach1", role="coach")
    page = upload(signed_in(app, "admin"), DATA / "broken.gift", "download", format="gift", topic="product")
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert "broken.gift: line 6: a blank line inside a question" in page.get_data(as_text=True)
    assert signed_in(app, "coach1").get("/admin/questions/import").status_code == 403
