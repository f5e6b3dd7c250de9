"""References between content files: a module's quiz and prerequisites, a quiz's module and
lessons, an item's lesson, the onboarding path's modules, each checked once every file is read."""

from .certificates import check_renewal
from .errors import ContentProblem
from .schema import LEADERSHIP


def check_references(reader, modules, lessons, quizzes, path):
    """Report, on the file that makes it, each reference to a module, quiz or lesson that does
    not exist or does not fit (``reader``: the loader's, with its sources, problems and the
    ids already reported broken), and prerequisites that form a cycle."""
    for module in modules.values():
        file, node = reader.sources["module", module.id]
        quiz = quizzes.get(module.quiz_id)
        if quiz is None and module.quiz_id in reader.broken_quizzes:
            pass  # its own file's problems are reported already
        elif quiz is None:
            file.problem(node.line_of("quiz"), "quiz", f"no quiz with id {module.quiz_id!r}")
        elif quiz.kind != "quiz" or quiz.module_id != module.id:
            file.problem(node.line_of("quiz"), "quiz", f"quiz {quiz.id!r} does not name module {module.id!r}")
        for required in module.requires:
            if required not in modules:
                file.problem(node.line_of("requires"), "requires", f"no module with id {required!r}")
        if module.certificate is not None and "renew_with" in node["certificate"]:
            check_renewal(file, node["certificate"], module, quizzes.get(module.certificate.renew_with),
                          reader.broken_quizzes)
    for quiz in quizzes.values():
        file, node = reader.sources["content", quiz.id]
        if quiz.kind == "quiz" and quiz.module_id not in modules:
            file.problem(node.line_of("module"), "module", f"no module with id {quiz.module_id!r}")
        for lesson_id in quiz.lessons:
            if lesson_id not in lessons and lesson_id not in reader.broken_lessons:
                file.problem(node.line_of("lessons"), "lessons", f"no lesson with id {lesson_id!r}")
        for raw, item in zip(node["items"], quiz.items):
            if (item.topic == LEADERSHIP) != (quiz.topic == LEADERSHIP):
                file.problem(raw.line_of("topic"), f"item {item.id}.topic",
                             f"items of the leaders' track have topic {LEADERSHIP!r}, and only they")
            lesson = lessons.get(item.lesson)
            if item.lesson is not None and item.lesson not in reader.broken_lessons and (
                    lesson is None or lesson.topic != item.topic):
                file.problem(raw.line_of("lesson"), f"item {item.id}.lesson",
                             f"no {item.topic} lesson with id {item.lesson!r}")
    if path is not None:
        file, node = reader.sources["path", path.id]
        for index, step in enumerate(path.steps):
            if step.module_id not in modules:
                file.problem(node["steps"][index].line, f"steps[{index}].module", f"no module {step.module_id!r}")
            elif modules[step.module_id].for_leaders:
                file.problem(node["steps"][index].line, f"steps[{index}].module",
                             f"{step.module_id!r} is the leaders' track, never on the agents' onboarding path")
    _check_cycles(reader.problems, modules)

def _check_cycles(problems, modules):
    state = {}

    def visit(module_id, trail):
        if state.get(module_id) == "done" or module_id not in modules:
            return
        if state.get(module_id) == "active":
            cycle = " -> ".join(trail + [module_id])
            problems.append(ContentProblem(f"modules/{module_id}/module.yaml", None, "requires",
                                                f"prerequisites form a cycle: {cycle}"))
            return
        state[module_id] = "active"
        for required in modules[module_id].requires:
            visit(required, trail + [module_id])
        state[module_id] = "done"

    for module_id in modules:
        visit(module_id, [])
