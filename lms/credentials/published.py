"""What anyone may fetch to check a badge, signed in or not: the issuer's Profile, its key
set and the signed status lists."""

import json

from flask import Response, abort

from ..db import utcnow
from ..i18n import _
from . import signing, status


def document(data, mimetype):
    """JSON as a response of its own media type (non-ASCII left readable)."""
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype=mimetype)


def issuer():
    return document(signing.issuer_profile(), "application/ld+json")


def keys():
    """Every badge key, current and retired, so a badge signed before a rotation verifies."""
    return document(signing.published_keys(), "application/jwk-set+json")


def status_list(list_id):
    """A revocation status list as a signed VC-JWT, built afresh from the database."""
    if not status.list_exists(list_id):
        abort(404, _("There is no such status list."))
    credential = status.status_list_credential(list_id, signing.issuer_summary(), signing.iso(utcnow()))
    return Response(signing.sign(credential), mimetype=signing.JWT_TYPE)
