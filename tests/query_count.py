"""Counting the SQL statements a page takes, to pin them: a page whose count grows with the
people on it (one query per row) fails its test."""

from sqlalchemy import event


def count_statements(app, client, url, method="GET", status=200, **request):
    """The statements the engine ran while ``client`` asked for ``url`` (which must answer
    ``status``); ``request``: the test client's arguments (``data=...``)."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    seen = []

    def record(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.open(url, method=method, **request)
        assert response.status_code == status, (url, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)
