"""The app a real gunicorn serves in test_ops_gunicorn.py: the standalone app, the serving
worker's pid on every response, the worker's garbage-collector counts, and a page that holds
its worker until the test lets it go.

The page connects to the test's Unix socket, says its pid (so the test knows the request is
being answered, and by whom) and waits for one byte: no sleeping, no polling."""

import gc
import os
import socket

from lms import create_app

app = create_app()


@app.after_request
def served_by(response):
    response.headers["X-Served-By"] = str(os.getpid())
    return response


@app.get("/_test/held")
def held():
    with socket.socket(socket.AF_UNIX) as gate:
        gate.settimeout(60)
        gate.connect(os.environ["OPS_TEST_GATE"])
        gate.sendall(f"{os.getpid()}\n".encode())
        released = gate.recv(1)
    return "finished" if released == b"g" else ("not released", 500)


@app.get("/_test/gc")
def collector():
    return {"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()), "threshold": gc.get_threshold()}
