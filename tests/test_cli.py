"""The ``flask lms`` commands, run as a user would run them."""

import shutil

from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User
from lms.config import PROJECT_ROOT
from lms.learning.models import QuizAttempt

from .conftest import TEST_CONTENT, without_isolates


def test_check_content_passes_on_the_shipped_curriculum(app):
    result = app.test_cli_runner().invoke(args=["lms", "check-content", "--root", str(PROJECT_ROOT)])
    assert result.exit_code == 0 and "Content OK: 7 modules" in result.output


def test_check_content_names_file_line_and_field_and_fails(app, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(TEST_CONTENT, root)
    quiz = root / "quizzes/basics/quiz.yaml"
    quiz.write_text(quiz.read_text().replace("    dimension: knowledge", "    dimension: knowlege", 1))
    result = app.test_cli_runner().invoke(args=["lms", "check-content", "--root", str(root)])
    assert result.exit_code == 1
    assert "quizzes/basics/quiz.yaml:17: item b-single.dimension: must be one of knowledge, belief, support" in result.output


def test_create_user_and_refuse_a_taken_name(app):
    runner = app.test_cli_runner()
    args = ["lms", "create-user", "--username", "neda", "--name", "Neda", "--role", "coach",
            "--site", "Shiraz", "--team", "Zand", "--password", "s3cret-pass"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "already taken" in again.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "neda"))
        assert user.role == "coach" and user.site.name == "Shiraz" and user.check_password("s3cret-pass")


def test_demo_is_idempotent_and_prints_sign_ins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["lms", "demo"])
    assert first.exit_code == 0 and "sara" in first.output and "cx-demo-2026" in first.output
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(User)),
                  db.session.scalar(select(func.count()).select_from(QuizAttempt)))
        assert counts[0] == 19 and counts[1] > 0
    assert runner.invoke(args=["lms", "demo"]).exit_code == 0
    with app.app_context():
        assert (db.session.scalar(select(func.count()).select_from(User)),
                db.session.scalar(select(func.count()).select_from(QuizAttempt))) == counts
    # The demo people have addresses, so the digest command has something to show at once.
    digests = without_isolates(runner.invoke(args=["lms", "send-digests", "--dry-run"]).output)
    assert "To: coach.maryam@roshan.example" in digests and "Sara Ahmadi asked for help" in digests
