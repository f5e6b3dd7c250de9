"""Statements go to the LRS through the outbox: written with the event's own commit (never
sent inside a request), PUT by their id, retried while the LRS is down."""

import base64
import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import update

from .. import db
from ..db import utcnow
from ..outbox import enqueue, sender
from ..outbox.models import Delivery

CHANNEL = "xapi"
VERSION = "1.0.3"


def enabled():
    """Statements are made only for a site with an LRS (LMS_XAPI_ENDPOINT set)."""
    return bool(current_app.config["LMS_XAPI_ENDPOINT"])


def queue(statements, again=False):
    """Put statements in the outbox, keyed by their id (so one statement is one row).
    ``again`` re-arms rows already sent: a resend asks the LRS once more (it keeps one copy)."""
    for statement in statements:
        enqueue(CHANNEL, statement["id"], statement)
        if again:
            db.session.execute(update(Delivery).where(
                Delivery.channel == CHANNEL, Delivery.key == statement["id"], Delivery.sent_at.is_not(None))
                .values(payload=statement, sent_at=None, next_try_at=utcnow()))


@sender(CHANNEL)
def send(statement):
    """PUT one statement by its id. 204 is stored; 409 means the LRS already holds a statement
    with this id (sent before, perhaps before a content edit changed its wording): either way
    it is delivered. Anything else raises, and the outbox tries again later."""
    config = current_app.config
    if not config["LMS_XAPI_ENDPOINT"]:
        raise RuntimeError("LMS_XAPI_ENDPOINT is not set: the statement waits until it is")
    url = f"{config['LMS_XAPI_ENDPOINT'].rstrip('/')}/statements?{urlencode({'statementId': statement['id']})}"
    credentials = f"{config['LMS_XAPI_USERNAME'] or ''}:{config['LMS_XAPI_PASSWORD'] or ''}".encode()
    request = urllib.request.Request(url, method="PUT", data=json.dumps(statement).encode(), headers={
        "Content-Type": "application/json",
        "X-Experience-API-Version": VERSION,
        "Authorization": "Basic " + base64.b64encode(credentials).decode(),
    })
    try:
        with urllib.request.urlopen(request, timeout=config["LMS_XAPI_TIMEOUT"]):
            return
    except urllib.error.HTTPError as error:
        if error.code != 409:
            raise RuntimeError(f"LRS answered {error.code}: {error.read()[:500].decode(errors='replace')}") from None
        current_app.logger.info("The LRS already holds statement %s (409): taken as delivered.", statement["id"])
