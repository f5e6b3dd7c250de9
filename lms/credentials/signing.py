"""Badges as verifiable credentials secured with JOSE (VC-JWT): the issuer's Profile, its
published keys and the signing itself.

We sign with a JWT rather than an embedded Data Integrity proof: eddsa-rdfc-2022 needs RDF
Dataset Canonicalization of the JSON-LD, which in Python means pyld fed every context
offline, a large moving part for one proof; a compact JWS needs only PyJWT, which the site's
keys (lms/keys) use already, and Open Badges 3.0 verifiers accept it."""

import calendar
from datetime import datetime

import jwt
from flask import current_app

from ..db import utcnow
from ..keys import current_key, public_jwks
from .urls import public_url

ALG = "EdDSA"
#: Media types of VC Data Model 2.0 and VC-JOSE-COSE.
CREDENTIAL_TYPE, JWT_TYPE = "application/vc", "application/vc+jwt"


def iso(moment):
    """A naive UTC timestamp as the data model's dateTimeStamp."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def _numeric(moment):
    return calendar.timegm(moment.utctimetuple())


def issuer_id():
    return public_url("lms.credentials.issuer")


def key_url(kid):
    """The ``kid`` of our JOSE headers: the key set's URL with the key's id as the fragment,
    which dereferences to that key's JWK."""
    return f"{public_url('lms.credentials.keys')}#{kid}"


def published_keys():
    """Every badge key, current and retired, as a JWK Set whose ``kid``s are the key URLs
    our JOSE headers carry, so libraries that pick a key by ``kid`` from the set find it."""
    return {"keys": [{**jwk, "kid": key_url(jwk["kid"])} for jwk in public_jwks(ALG)["keys"]]}


def issuer_summary():
    """The issuer as a badge names it (the Profile's id, type, name and home page)."""
    return {"id": issuer_id(), "type": ["Profile"], "name": current_app.config["LMS_BADGE_ISSUER_NAME"],
            "url": public_url("lms.learning.path")}


def issuer_profile():
    """The issuer's Profile document, served at its id: every key that ever signed a badge
    (current and retired) as a JsonWebKey verification method, so old badges still verify."""
    profile = issuer_summary()
    methods = [{"id": jwk["kid"], "type": "JsonWebKey", "controller": profile["id"], "publicKeyJwk": jwk}
               for jwk in published_keys()["keys"]]
    return {"@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            **profile, "description": "Issues the certificates of training completed in CX Academy.",
            "verificationMethod": methods, "assertionMethod": [m["id"] for m in methods]}


def sign(credential):
    """The credential as a compact JWS (VC-JOSE-COSE): the credential is the payload, with
    the JWT claims that restate it (iss, jti, nbf, exp) for verifiers that read those."""
    key = current_key(ALG)
    claims = {**credential, "iss": credential["issuer"]["id"], "jti": credential["id"], "iat": _numeric(utcnow())}
    claims["nbf"] = _numeric(_parse(credential["validFrom"]))
    if "validUntil" in credential:
        claims["exp"] = _numeric(_parse(credential["validUntil"]))
    # No "cty": VC-JOSE-COSE only recommends it, and Open Badges 3.0 allows no header beyond
    # alg, kid, jwk and typ.
    return jwt.encode(claims, key.private_key, algorithm=ALG, headers={"kid": key_url(key.kid), "typ": "vc+jwt"})


def _parse(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
