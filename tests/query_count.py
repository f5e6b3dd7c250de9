"""Counting the SQL statements a page takes, to pin them: a page whose count grows with the
people on it (one query per row) fails its test."""

from sqlalchemy import event


def count_statements(app, client, url):
    """The statements the engine ran while ``client`` got ``url`` (which must answer 200)."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    seen = []

    def record(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)
