"""Answering the items an attempt drew, as a learner's page would post them (options by the
position they were shown at)."""

from lms import db
from lms.learning.models import QuizAttempt

from .conftest import token_for


def catalog(app):
    return app.extensions["lms"].catalog


def drawn(app, attempt_id):
    """The attempt's (item id, option order) pairs, in the order shown."""
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt_id)
        return [(a.item_id, tuple(a.option_order) if a.option_order else None) for a in attempt.answers]


def answer_value(item, order, right=True):
    """What a page posts for ``item``: the key (or a wrong answer) as shown positions."""
    if item.type == "agreement":
        return "4"
    if item.type == "true_false":
        return "true" if item.answer == right else "false"
    if item.type == "short":
        return item.answer["en"][0] if right else "not this"
    position = {option_id: str(index) for index, option_id in enumerate(order, 1)}
    if item.type == "multiple":
        keys = sorted(item.answer) if right else [next(o for o in order if o not in item.answer)]
        return [position[option_id] for option_id in keys]
    return position[item.answer if right else next(o for o in order if o != item.answer)]


def sheet(app, attempt_id, right=True, wrong=()):
    """A whole answer sheet for the attempt: every drawn item right (or wrong, or for the
    ids in ``wrong`` only, wrong)."""
    items = catalog(app).items
    return {f"item-{item_id}": answer_value(items[item_id], order, right and item_id not in wrong)
            for item_id, order in drawn(app, attempt_id)}


def start(client, quiz="basics-quiz"):
    response = client.post(f"/quizzes/{quiz}/start", data={"csrf_token": token_for(client, f"/quizzes/{quiz}")})
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def submit(client, attempt_id, answers, quiz="basics-quiz", token=None):
    data = dict(answers, csrf_token=token or token_for(client))
    return client.post(f"/quizzes/{quiz}/attempts/{attempt_id}", data=data)


def pass_quiz(app, client, quiz="basics-quiz"):
    """Start an attempt and post every answer right; the attempt id."""
    attempt_id = start(client, quiz)
    assert submit(client, attempt_id, sheet(app, attempt_id), quiz).status_code == 303
    return attempt_id


def read_lessons(client, module_id):
    """Open every lesson of a module, as a learner would."""
    for lesson in catalog(client.application).modules[module_id].lessons:
        assert client.get(f"/modules/{module_id}/lessons/{lesson.id}").status_code == 200


def age_attempts(app, user_id, delta):
    """Move the learner's attempts back in time by ``delta`` (past a retake's cooldown)."""
    with app.app_context():
        for attempt in db.session.query(QuizAttempt).filter_by(user_id=user_id):
            attempt.started_at -= delta
            if attempt.closed_at:
                attempt.closed_at -= delta
            if attempt.deadline_at:
                attempt.deadline_at -= delta
        db.session.commit()


def complete(app, client, module_id="basics"):
    """Open every lesson of a module and pass its quiz."""
    read_lessons(client, module_id)
    return pass_quiz(app, client, catalog(app).modules[module_id].quiz_id)
