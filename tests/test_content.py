"""Content loading: the shipped curriculum is complete in both languages, and every kind
of broken file is reported with its file, line and field."""

import shutil
from collections import Counter

import pytest

from lms.catalog import DIMENSIONS, TOPICS, ContentError, load_catalog
from lms.config import PROJECT_ROOT

from .conftest import TEST_CONTENT


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(PROJECT_ROOT)


def test_every_topic_has_a_module_of_at_least_four_lessons(shipped):
    topics = Counter(module.topic for module in shipped.modules.values())
    assert set(topics) == set(TOPICS)
    for module in shipped.modules.values():
        assert len(module.lessons) >= 4, module.id
        for lesson in module.lessons:
            assert 5 <= lesson.minutes <= 10, lesson.id
            assert lesson.title["en"] and lesson.title["fa"], lesson.id
            assert 2 <= len(lesson.objectives["en"]) <= 4 and lesson.objectives["fa"], lesson.id
            assert lesson.html["en"] and lesson.html["fa"], lesson.id


def test_every_module_quiz_has_fifteen_items_mixing_dimensions(shipped):
    for module in shipped.modules.values():
        quiz = shipped.quizzes[module.quiz_id]
        dimensions = Counter(item.dimension for item in quiz.items)
        assert len(quiz.items) >= 15, quiz.id
        assert dimensions["knowledge"] and dimensions["belief"], quiz.id
        assert {"why", "agreement"} <= {i.type for i in quiz.items if i.dimension == "belief"}, quiz.id
        assert all(item.topic == module.topic for item in quiz.items), quiz.id


def test_every_item_has_both_languages_and_an_explanation(shipped):
    for item in shipped.items.values():
        assert item.dimension in DIMENSIONS
        for lang in ("en", "fa"):
            assert item.text[lang].strip() and item.explanation[lang].strip(), (item.id, lang)
            for option in item.options:
                assert option.text[lang].strip(), (item.id, option.id, lang)
        if item.dimension == "support":
            assert item.type == "agreement", item.id  # never scored right or wrong


def test_each_topic_has_a_refresher_and_the_path_covers_every_module(shipped):
    refreshers = {q.topic for q in shipped.quizzes.values() if q.kind == "refresher"}
    assert refreshers == set(TOPICS)
    assert [s.module_id for s in shipped.path.steps] and {s.module_id for s in shipped.path.steps} == set(
        shipped.modules)
    days = [s.day for s in shipped.path.steps]
    assert days == sorted(days)


def test_personas_are_a_defined_set_of_five_to_seven(shipped):
    assert 5 <= len(shipped.personas) <= 7
    for persona in shipped.personas.values():
        assert persona.name["fa"] and persona.cues["fa"] and persona.adapt["fa"]


def test_persian_text_uses_persian_letters_not_arabic(shipped):
    for path in list(PROJECT_ROOT.glob("modules/**/*.fa.md")) + list(PROJECT_ROOT.glob("quizzes/**/*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "ي" not in text and "ك" not in text, path


# -- broken files -------------------------------------------------------------------------

@pytest.fixture
def content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    return root


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root):
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("file,old,new,expected", [
    ("quizzes/basics/quiz.yaml", "dimension: belief\n    reversed", "dimesion: belief\n    reversed",
     "quizzes/basics/quiz.yaml:48: items[4].dimension: is missing"),
    ("quizzes/basics/quiz.yaml", "answer: a\n    explanation: {en: \"SECRET", "answer: c\n    explanation: {en: \"SECRET",
     "quizzes/basics/quiz.yaml:18: items[0].answer: must be one of the option ids ['a', 'b'], not 'c'"),
    ("quizzes/basics/quiz.yaml", "type: single", "type: singel",
     "quizzes/basics/quiz.yaml:11: items[0].type: must be one of single, why"),
    ("quizzes/basics/quiz.yaml", "pass_mark: 0.75", "pass_mark: 75",
     "quizzes/basics/quiz.yaml:6: pass_mark: must be above 0 and at most 1"),
    ("quizzes/basics/quiz.yaml", "fa: \"در تماس عصبانی اول چه می‌آید؟\"", "de: \"x\"",
     "quizzes/basics/quiz.yaml:14: items[0].text.fa: is missing or empty"),
    ("quizzes/basics/quiz.yaml", "type: why\n    topic: communication\n    dimension: belief",
     "type: why\n    topic: communication\n    dimension: knowledge",
     "quizzes/basics/quiz.yaml:41: items[3].dimension: a why item measures belief"),
    ("quizzes/basics/quiz.yaml", "title: {en: Basics quiz", "title: {en: Basics quiz}\ntitle: {en: x",
     "quizzes/basics/quiz.yaml:6: yaml: duplicate key 'title'"),
    ("quizzes/basics/quiz.yaml", "items:\n", "items:\n  - [unclosed\n",
     "quizzes/basics/quiz.yaml:11: yaml:"),
    ("modules/basics/01-hello.fa.md", "minutes: 5", "minutes: five",
     "modules/basics/01-hello.fa.md:6: minutes: must be a whole number"),
    ("modules/basics/01-hello.fa.md", "order: 1", "order: 2",
     "modules/basics/01-hello.fa.md:5: order: differs from the en file (1)"),
    ("modules/onboarding.yaml", "module: advanced", "module: advnced",
     "modules/onboarding.yaml:7: steps[1].module: no module 'advnced'"),
    ("modules/basics/module.yaml", "requires: []", "requires: [advanced]",
     "modules/advanced/module.yaml: requires: prerequisites form a cycle"),
    ("modules/basics/module.yaml", "quiz: basics-quiz", "quiz: basic-quiz",
     "modules/basics/module.yaml:6: quiz: no quiz with id 'basic-quiz'"),
])
def test_a_broken_file_is_named_with_line_and_field(content, file, old, new, expected):
    edit(content / file, old, new)
    found = problems(content)
    assert any(p.startswith(expected) for p in found), found


def test_a_broken_quiz_is_reported_once_not_again_by_its_module(content):
    edit(content / "quizzes/basics/quiz.yaml", "type: single", "type: singel")
    assert len(problems(content)) == 1


def test_a_lesson_without_its_persian_file_is_refused(content):
    (content / "modules/basics/02-listen.fa.md").unlink()
    assert "modules/basics/02-listen.en.md: translation: lesson 'basics-02-listen' has no fa file" in problems(content)


def test_a_lesson_without_front_matter_is_refused(content):
    (content / "modules/basics/02-listen.fa.md").write_text("## No front matter\n", encoding="utf-8")
    assert "modules/basics/02-listen.fa.md:1: front matter: the file must start with a line '---'" in problems(content)


def test_yaml_cannot_build_python_objects(content):
    edit(content / "quizzes/basics/quiz.yaml", "pass_mark: 0.75", "pass_mark: !!python/object/apply:os.system [ls]")
    assert any("quizzes/basics/quiz.yaml:6: yaml:" in p for p in problems(content))


def test_lesson_markdown_is_sanitised():
    html = load_catalog(TEST_CONTENT).lessons["basics-01-hello"].html["en"]
    assert "<strong>respect</strong>" in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
