"""Create, find, rotate and publish signing keys."""

import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from jwt.algorithms import OKPAlgorithm, RSAAlgorithm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..db import utcnow
from .models import SigningKey

#: alg -> PyJWT's algorithm, which turns a public key into a JWK.
ALGORITHMS = {"RS256": RSAAlgorithm, "EdDSA": OKPAlgorithm}
_GENERATE = {
    "RS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "EdDSA": ed25519.Ed25519PrivateKey.generate,
}


def _new_key(alg):
    """A new current key, or None when another worker made one first (the unique index on the
    current key of ``alg`` refused ours): two keys signing at once would leave a platform that
    cached our key set unable to check one of them."""
    if alg not in _GENERATE:
        raise ValueError(f"Unknown signing algorithm {alg!r}: use one of {', '.join(_GENERATE)}.")
    pem = _GENERATE[alg]().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()).decode()
    db.session.commit()  # the caller's own work first, so losing the race below cannot undo it
    key = SigningKey(kid=f"{alg.lower()}-{secrets.token_urlsafe(12)}", alg=alg, private_pem=pem, created_at=utcnow())
    db.session.add(key)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return key


def _current(alg):
    return db.session.scalar(select(SigningKey).where(SigningKey.alg == alg, SigningKey.retired_at.is_(None)))


def current_key(alg):
    """The one key that signs new tokens of ``alg``, made on first use."""
    return _current(alg) or _new_key(alg) or _current(alg)


def rotate(alg):
    """A new current key; the old ones are retired but stay in the published key set."""
    if alg not in _GENERATE:
        raise ValueError(f"Unknown signing algorithm {alg!r}: use one of {', '.join(_GENERATE)}.")
    now = utcnow()
    for key in db.session.scalars(select(SigningKey).where(SigningKey.alg == alg, SigningKey.retired_at.is_(None))):
        key.retired_at = now
    return current_key(alg)


def public_jwks(alg):
    """Every key of ``alg``, newest first, as a JSON Web Key Set."""
    current_key(alg)
    keys = db.session.scalars(select(SigningKey).where(SigningKey.alg == alg)
                              .order_by(SigningKey.created_at.desc(), SigningKey.kid))
    return {"keys": [key.public_jwk for key in keys]}


def find_key(kid):
    return db.session.get(SigningKey, kid)
