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
    for topic in TOPICS:
        assert len(shipped.modules[topic].lessons) >= 4, topic
    assert len(shipped.lessons) >= 36
    for module in shipped.modules.values():
        for lesson in module.lessons:
            assert 5 <= lesson.minutes <= 10, lesson.id
            assert lesson.title["en"] and lesson.title["fa"], lesson.id
            assert 2 <= len(lesson.objectives["en"]) <= 4 and lesson.objectives["fa"], lesson.id
            assert lesson.html["en"] and lesson.html["fa"], lesson.id
            assert "<blockquote>" in lesson.html["en"] and "<blockquote>" in lesson.html["fa"], lesson.id  # worked


def test_the_coach_track_and_the_capstone_are_there(shipped):
    leaders = shipped.ordered_modules(leaders=True)
    assert leaders and all(m.topic == "leadership" and len(m.lessons) >= 4 for m in leaders)
    capstone = shipped.modules["capstone"]
    assert shipped.path.steps[-1].module_id == "capstone" and set(TOPICS) <= set(capstone.requires)
    quiz = shipped.quizzes[capstone.quiz_id]
    assert {item.topic for item in quiz.bank} == set(TOPICS)


def test_role_plays_cover_every_topic_three_times_and_typed_replies_have_anchors(shipped):
    assert len(shipped.roleplays) >= 16
    per_topic = Counter(r.topic for r in shipped.roleplays.values())
    assert all(per_topic[topic] >= 3 for topic in TOPICS), per_topic
    for roleplay in shipped.roleplays.values():
        typed = [n for n in roleplay.nodes.values() if n.open_reply_next]
        assert typed, roleplay.id
        for node in typed:
            assert node.model_answer["fa"] and set(node.anchors) == {c.id for c in roleplay.criteria}, node.id


def test_every_module_quiz_is_a_bank_drawing_knowledge_why_and_attitude_items(shipped):
    for module in (shipped.modules[topic] for topic in TOPICS):
        quiz = shipped.quizzes[module.quiz_id]
        drawn = {(rule.dimension, rule.tag): rule.count for rule in quiz.draw}
        knowledge = sum(count for (dimension, _tag), count in drawn.items() if dimension == "knowledge")
        assert knowledge >= 10 and drawn[("belief", "why")] >= 4, quiz.id
        assert drawn[("knowledge", "true_false")] <= 1 and drawn[("knowledge", "multiple")] >= 2, quiz.id  # guessing
        assert drawn[("belief", "agreement")] >= 2, quiz.id
        for rule, pool in quiz.pools().items():
            assert len(pool) >= 2.5 * rule.count, (quiz.id, rule)
        attitudes = [i for i in quiz.items if i.type == "agreement"]
        assert sum(i.reversed for i in attitudes) >= 2, quiz.id  # agreeing with everything is not the best
        assert all(item.topic == module.topic for item in quiz.items), quiz.id


def test_every_graded_item_names_its_lesson_idea_and_tags_and_nothing_in_a_quiz_is_support(shipped):
    for quiz in shipped.quizzes.values():
        for item in quiz.items:
            assert item.dimension in ("knowledge", "belief"), item.id
            assert item.lesson in shipped.lessons and shipped.lessons[item.lesson].topic == item.topic, item.id
            assert item.tags, item.id
            if item.graded:
                assert item.idea["en"].strip() and item.idea["fa"].strip(), item.id


def test_the_support_pulse_asks_about_leaders_in_every_topic(shipped):
    pulse = shipped.pulse
    assert pulse is not None and 30 <= pulse.period_days <= 31
    assert {item.topic for item in pulse.items} == set(TOPICS)
    assert all(item.dimension == "support" and item.type == "agreement" for item in pulse.items)
    assert any(item.reversed for item in pulse.items)


def test_every_item_has_both_languages_and_an_explanation(shipped):
    for item in shipped.items.values():
        assert item.dimension in DIMENSIONS
        for lang in ("en", "fa"):
            assert item.text[lang].strip(), (item.id, lang)
            assert item.dimension == "support" or item.explanation[lang].strip(), (item.id, lang)
            for option in item.options:
                assert option.text[lang].strip(), (item.id, option.id, lang)


def test_each_topic_has_a_refresher_and_the_path_covers_every_agents_module(shipped):
    refreshers = {q.topic for q in shipped.quizzes.values() if q.kind == "refresher"}
    assert refreshers == set(TOPICS)
    assert [s.module_id for s in shipped.path.steps] and {s.module_id for s in shipped.path.steps} == {
        m.id for m in shipped.ordered_modules()}
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


QUIZ = "quizzes/basics/quiz.yaml"


@pytest.mark.parametrize("file,old,new,expected", [
    (QUIZ, "dimension: belief\n    reversed", "dimesion: belief\n    reversed",
     "quizzes/basics/quiz.yaml:115: item b-agree.dimesion: is not a known field (did you mean 'dimension'?)"),
    (QUIZ, "answer: a\n    idea: {en: \"IDEA", "answer: d\n    idea: {en: \"IDEA",
     "quizzes/basics/quiz.yaml:25: item b-single.answer: must be one of the option ids ['a', 'b', 'c'], not 'd'"),
    (QUIZ, "type: single", "type: singel",
     "quizzes/basics/quiz.yaml:15: item b-single.type: must be one of single, why"),
    (QUIZ, "pass_mark: 0.6", "pass_mark: 60",
     "quizzes/basics/quiz.yaml:6: pass_mark: must be above 0 and at most 1"),
    (QUIZ, "time_limit_minutes: 10", "time_limit_minute: 10",
     "quizzes/basics/quiz.yaml:7: time_limit_minute: is not a known field (did you mean 'time_limit_minutes'?)"),
    (QUIZ, "fa: \"در تماس عصبانی اول چه می‌آید؟\"", "de: \"x\"",
     "quizzes/basics/quiz.yaml:20: item b-single.text.fa: is missing or empty"),
    (QUIZ, "type: why\n    topic: communication\n    dimension: belief",
     "type: why\n    topic: communication\n    dimension: knowledge",
     "quizzes/basics/quiz.yaml:79: item b-why.dimension: a why item in a quiz measures belief"),
    (QUIZ, "    dimension: belief\n    reversed: true\n    lesson: basics-01-hello",
     "    dimension: support\n    reversed: true\n    lesson: basics-01-hello",
     "quizzes/basics/quiz.yaml:115: item b-agree.dimension: an agreement item in a quiz measures belief; "
     "support is asked in the support pulse"),
    (QUIZ, "    idea: {en: Check the problem before solving it., fa: پیش از حل مسئله، آن را بررسی کنید.}\n", "",
     "quizzes/basics/quiz.yaml:28: item b-single2.idea: is missing"),
    (QUIZ, "lesson: basics-02-listen", "lesson: basics-09-nothing",
     "quizzes/basics/quiz.yaml:19: item b-single.lesson: no communication lesson with id 'basics-09-nothing'"),
    (QUIZ, "{dimension: knowledge, count: 2}", "{dimension: knowledge, count: 3}",
     "quizzes/basics/quiz.yaml:10: draw[0]: draws 3 knowledge items but the bank has 5; a quiz needs at least 8"),
    (QUIZ, "  - {dimension: belief, tag: agreement, count: 1}\n", "",
     "quizzes/basics/quiz.yaml:111: item b-agree: no draw rule matches it (belief, tags agreement, communication)"),
    (QUIZ, "{dimension: belief, tag: why, count: 1}", "{dimension: belief, count: 1}",
     "quizzes/basics/quiz.yaml:11: draw[1]: mixes graded and agreement items"),
    (QUIZ, "title: {en: Basics quiz", "title: {en: Basics quiz}\ntitle: {en: x",
     "quizzes/basics/quiz.yaml:6: yaml: duplicate key 'title'"),
    (QUIZ, "items:\n", "items:\n  - [unclosed\n",
     "quizzes/basics/quiz.yaml:15: yaml:"),
    ("quizzes/basics/refresher.yaml", "also_from: [basics-quiz]", "also_from: [basics-refresher]",
     "quizzes/basics/refresher.yaml:8: also_from: no other quiz 'basics-refresher' with a bank of its own"),
    ("quizzes/basics/refresher.yaml", "{dimension: knowledge, count: 2}", "{dimension: knowledge, count: 4}",
     "quizzes/basics/refresher.yaml:10: draw[0]: draws 4 knowledge items but the bank has 9; a refresher needs at "
     "least 12 (3 x the draw)"),
    ("modules/basics/01-hello.fa.md", "minutes: 5", "minutes: five",
     "modules/basics/01-hello.fa.md:6: minutes: must be a whole number"),
    ("modules/basics/01-hello.en.md", "  - Greet the customer by name", "  - Greet them: by name",
     "modules/basics/01-hello.en.md:8: objectives: must be a list of non-empty lines (quote a line that holds ': ')"),
    ("modules/basics/01-hello.fa.md", "order: 1", "order: 2",
     "modules/basics/01-hello.fa.md:5: order: differs from the en file (1)"),
    ("modules/basics/01-hello.en.md", "minutes: 5", "minutes: 5\nminuts: 6",
     "modules/basics/01-hello.en.md:7: minuts: is not a known field (did you mean 'minutes'?)"),
    ("modules/onboarding.yaml", "module: advanced", "module: advnced",
     "modules/onboarding.yaml:7: steps[1].module: no module 'advnced'"),
    ("modules/basics/module.yaml", "requires: []", "requires: [advanced]",
     "modules/advanced/module.yaml: requires: prerequisites form a cycle"),
    ("modules/basics/module.yaml", "quiz: basics-quiz", "quiz: basic-quiz",
     "modules/basics/module.yaml:6: quiz: no quiz with id 'basic-quiz'"),
    ("quizzes/basics/roleplay-late.yaml", "    persona_check: true", "    persona_chek: true",
     "quizzes/basics/roleplay-late.yaml:16: nodes.open.persona_chek: is not a known field (did you mean "
     "'persona_check'?)"),
])
def test_a_broken_file_is_named_with_line_and_field(content, file, old, new, expected):
    edit(content / file, old, new)
    found = problems(content)
    assert any(p.startswith(expected) for p in found), found


def test_a_file_that_is_not_utf8_is_named_with_its_line(content):
    path = content / "quizzes/basics/refresher.yaml"
    path.write_bytes(path.read_bytes().replace("بازآموزی".encode(), "بازآموزی".encode("utf-16-le")))
    found = problems(content)
    assert found[0].startswith("quizzes/basics/refresher.yaml:4: encoding: byte 0x") and "not UTF-8" in found[0]


# -- the lint: item-writing flaws a test-wise reader exploits -----------------------------

def test_a_bank_whose_key_is_mostly_the_longest_option_is_refused(content):
    edit(content / QUIZ, "{id: a, text: {en: Acknowledge the feeling,",
         "{id: a, text: {en: Acknowledge the feeling the customer has before anything else,")
    edit(content / QUIZ, "{id: b, text: {en: What I understood,", "{id: b, text: {en: What I understood of the problem,")
    found = problems(content)
    assert found == ["quizzes/basics/quiz.yaml:13: items: the key is the strictly longest option in 3 of 5 "
                     "single-answer items in en (at most 35%): b-single, b-single2, b-why3"]


def test_true_false_answers_and_fixed_option_orders_must_be_balanced(content):
    for _ in range(2):
        edit(content / "quizzes/basics/refresher.yaml", "    answer: true\n", "    answer: false\n")
    found = problems(content)
    assert "quizzes/basics/refresher.yaml:11: items: the answer is false in 3 of 3 true/false items (at most 2); " \
           "balance them" in found
    for item_id in ("b-single", "b-why", "b-why3"):
        edit(content / QUIZ, f"  - id: {item_id}\n", f"  - id: {item_id}\n    shuffle: false\n")
    assert any("option 1 is the key in 3 of 3 items whose options keep their order (at most 2)" in p
               for p in problems(content))


@pytest.mark.parametrize("text", ["All of the above", "None of the above", "Both a and b", "همه‌ی موارد بالا"])
def test_a_catch_all_option_is_refused(content, text):
    edit(content / QUIZ, "{id: c, text: {en: Ask for the order number, fa: پرسیدن شماره‌ی سفارش}}",
         f"{{id: c, text: {{en: {text}, fa: {text}}}}}")
    assert problems(content) == ["quizzes/basics/quiz.yaml:21: item b-single.options: option 'c' is a catch-all "
                                 "(all/none of the above, both): it rewards test-wise guessing; write a real option"]


def test_the_same_item_text_twice_is_refused(content):
    edit(content / "quizzes/basics/refresher.yaml", "\"A summary helps close a call.\"",
         "\"  interrupting   SAVES time.\"")
    assert problems(content) == ["quizzes/basics/refresher.yaml:18: item r-tf.text.en: is the same text as item "
                                 "b-tf (quizzes/basics/quiz.yaml)"]


def test_a_scored_item_that_says_there_is_no_right_answer_is_refused(content):
    edit(content / QUIZ, "\"What comes first on an angry call?\"",
         "\"What comes first on an angry call? There is no right or wrong answer.\"")
    assert problems(content) == ["quizzes/basics/quiz.yaml:14: item b-single: says there is no right or wrong "
                                 "answer, yet it is scored: make it an agreement item or remove the sentence"]


def test_a_roleplay_whose_best_choice_is_mostly_the_longest_is_refused(content):
    edit(content / "quizzes/basics/roleplay-late.yaml", "\"Please just wait a few more days and call us again if it "
         "does not come.\"", "\"Just wait.\"")
    edit(content / "quizzes/basics/roleplay-late.yaml", "\"That's our delivery policy, there is nothing I can do.\"",
         "\"That's our policy.\"")
    found = problems(content)
    assert "quizzes/basics/roleplay-late.yaml:13: nodes: the best choice is the strictly longest in 2 of 2 " \
           "decision nodes in en (at most half): open, offer" in found


def test_a_broken_quiz_is_reported_once_not_again_by_its_module(content):
    edit(content / QUIZ, "type: single", "type: singel")
    assert len(problems(content)) == 1


def test_a_broken_lesson_is_reported_once_not_again_by_its_items(content):
    edit(content / "modules/basics/01-hello.en.md", "  - Greet the customer by name", "  - Greet them: by name")
    assert len(problems(content)) == 1


def test_a_lesson_without_its_persian_file_is_refused(content):
    (content / "modules/basics/02-listen.fa.md").unlink()
    assert "modules/basics/02-listen.en.md: translation: lesson 'basics-02-listen' has no fa file" in problems(content)


def test_a_lesson_without_front_matter_is_refused(content):
    (content / "modules/basics/02-listen.fa.md").write_text("## No front matter\n", encoding="utf-8")
    assert "modules/basics/02-listen.fa.md:1: front matter: the file must start with a line '---'" in problems(content)


def test_yaml_cannot_build_python_objects(content):
    edit(content / QUIZ, "pass_mark: 0.6", "pass_mark: !!python/object/apply:os.system [ls]")
    assert any("quizzes/basics/quiz.yaml:6: yaml:" in p for p in problems(content))


def test_a_refresher_draws_from_its_own_set_and_the_quiz_it_shares():
    catalog = load_catalog(TEST_CONTENT)
    refresher = catalog.quizzes["basics-refresher"]
    assert [i.id for i in refresher.bank] == ["r-tf", "r-single", "r-tf2", "r-tf3", *(
        i.id for i in catalog.quizzes["basics-quiz"].items)]
    (pool,) = refresher.pools().values()
    assert {i.id for i in pool} == {"r-tf", "r-single", "r-tf2", "r-tf3", "b-single", "b-single2", "b-multi",
                                    "b-tf", "b-tf2"}  # the quiz's why and agreement items stay unused


def test_lesson_markdown_is_sanitised():
    html = load_catalog(TEST_CONTENT).lessons["basics-01-hello"].html["en"]
    assert "<strong>respect</strong>" in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html


def test_a_mixed_topic_quiz_draws_per_topic_from_any_bank():
    from dataclasses import replace

    from lms.catalog.schema import DrawRule

    catalog = load_catalog(TEST_CONTENT)
    mixed = replace(catalog.quizzes["advanced-quiz"], shared=catalog.quizzes["basics-quiz"].items,
                    draw=(DrawRule("knowledge", 1, "communication"), DrawRule("belief", 1, "policies")))
    pools = {rule.tag: {item.id for item in pool} for rule, pool in mixed.pools().items()}
    assert pools == {"communication": {"b-single", "b-single2", "b-multi", "b-tf", "b-tf2"},
                     "policies": {"a-why", "a-why2", "a-why3"}}  # an item's topic is one of its tags


@pytest.mark.parametrize("file,old,new,expected", [
    ("modules/leading/module.yaml", "audience: leaders\n", "",
     "modules/leading/module.yaml:2: topic: 'leadership' is the topic of audience: leaders"),
    ("modules/basics/module.yaml", "topic: communication", "audience: leaders\ntopic: communication",
     "modules/basics/module.yaml:3: topic: the leaders' track has topic 'leadership', and only it"),
    ("modules/onboarding.yaml", "module: advanced", "module: leading",
     "modules/onboarding.yaml:7: steps[1].module: 'leading' is the leaders' track, never on the agents' onboarding"),
    ("quizzes/leading/quiz.yaml", "    topic: leadership\n    dimension: knowledge\n    tags: [back-them]",
     "    topic: communication\n    dimension: knowledge\n    tags: [back-them]",
     "quizzes/leading/quiz.yaml:13: item l-tf1.topic: items of the leaders' track have topic 'leadership'"),
])
def test_the_leaders_track_keeps_to_itself(content, file, old, new, expected):
    edit(content / file, old, new)
    found = problems(content)
    assert any(p.startswith(expected) for p in found), found
