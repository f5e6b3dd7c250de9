"""Loaded by every Python process of the test LRS (PYTHONPATH=tests/ralph_site; uvicorn's
reloader starts the server in a fresh process, so patching the parent would not reach it).

Ralph 5.1.0's file-system LRS backend writes each accepted statement with the data backend's
default operation, CREATE, which refuses once fs_lrs.jsonl exists: a stock Ralph fs LRS keeps
the first statement it is sent and answers 500 to every later one. Appending is what an LRS
on a file must do, and the backend supports it; this makes it the default."""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
