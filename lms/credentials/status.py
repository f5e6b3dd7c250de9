"""Revocation of badges through a W3C Bitstring Status List (statusPurpose "revocation").
A certificate gets one bit when its badge is first exported; the list credential is built
from the database on each request, so revoking a certificate sets its bit and restoring it
clears it, with nothing else to keep in step."""

import base64
import gzip
import secrets

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import db
from .models import Certificate
from .urls import public_url

#: Bits per list: the specification's minimum (16 KB), so that a list is large enough for
#: its holders to hide among (herd privacy) whatever the number of certificates.
LIST_SIZE = 131_072


def index_of(certificate):
    """The certificate's bit, given on first use: a random free bit of the list being filled,
    so neighbouring bits tell nothing about who was certified together. Two requests giving
    bits at once are settled by the unique index: the loser tries another bit."""
    for _attempt in range(10):
        if certificate.status_index is not None:
            return certificate.status_index
        start = db.session.scalar(select(func.count()).where(Certificate.status_index.is_not(None))) // LIST_SIZE * LIST_SIZE
        taken = set(db.session.scalars(select(Certificate.status_index).where(
            Certificate.status_index >= start, Certificate.status_index < start + LIST_SIZE)))
        index = start + secrets.randbelow(LIST_SIZE)
        while index in taken:
            index = start + secrets.randbelow(LIST_SIZE)
        try:
            db.session.execute(update(Certificate).where(Certificate.id == certificate.id,
                                                         Certificate.status_index.is_(None))
                               .values(status_index=index).execution_options(synchronize_session=False))
            db.session.commit()
        except IntegrityError:  # another certificate took that bit meanwhile
            db.session.rollback()
        db.session.refresh(certificate)
    raise RuntimeError("No free bit in the badge status list after 10 tries.")


def list_url(list_id):
    return public_url("lms.credentials.status_list", list_id=list_id)


def status_entry(certificate):
    """The badge's ``credentialStatus``: a BitstringStatusListEntry pointing at its bit."""
    index = index_of(certificate)
    url = list_url(index // LIST_SIZE)
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(index), "statusListCredential": url}


def list_exists(list_id):
    """List 0 always exists (empty at first); a later one once a certificate has a bit in it."""
    highest = db.session.scalar(select(func.max(Certificate.status_index)))
    return list_id == 0 or (highest is not None and 0 <= list_id <= highest // LIST_SIZE)


def revoked_bits(list_id):
    """The list's bitstring: bit i (from the left, the first byte's high bit being 0) is set
    when the certificate holding index list_id * LIST_SIZE + i is revoked."""
    start = list_id * LIST_SIZE
    bits = bytearray(LIST_SIZE // 8)
    for index in db.session.scalars(select(Certificate.status_index).where(
            Certificate.status_index >= start, Certificate.status_index < start + LIST_SIZE,
            Certificate.revoked_at.is_not(None))):
        offset = index - start
        bits[offset // 8] |= 0x80 >> (offset % 8)
    return bytes(bits)


def encoded_list(bits):
    """``encodedList``: multibase base64url (prefix "u", no padding) of the GZIP-compressed
    bitstring."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).decode().rstrip("=")


def status_list_credential(list_id, issuer, valid_from):
    """The BitstringStatusListCredential of list ``list_id`` (unsigned; the view signs it)."""
    url = list_url(list_id)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list(revoked_bits(list_id))},
    }
