"""Certificates as Open Badges 3.0 credentials (OpenBadgeCredential, VC Data Model 2.0),
signed by signing.py and revocable through status.py."""

import hashlib

from .models import MODULE
from .signing import iso, issuer_summary
from .status import status_entry
from .urls import public_url

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"


def recipient_identity(certificate, holder):
    """Who the badge is for, without saying it to whoever reads the badge: a salted SHA-256
    of the holder's e-mail address (lower-cased), which a verifier checks against the
    address the holder gives them; a holder without one gets their username hashed the same
    way. No URL of the person: it would lead to their record here. The salt is the
    certificate's own code, so two badges of one person share no hash."""
    kind, value = ("emailAddress", holder.email.strip().lower()) if holder.email else ("userName", holder.username)
    digest = hashlib.sha256((value + certificate.code).encode()).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}", "identityType": kind, "hashed": True,
            "salt": certificate.code}


def _english(title):
    return title.get("en") or next(iter(title.values()), "")


def _achievement(certificate):
    """The achievement in English, the badge's language; its Persian edition is named as a
    Related achievement (OB 3.0's way to point at an edition in another language)."""
    achievement_id = f"{public_url('lms.learning.path')}#{certificate.kind}-{certificate.subject_id}"
    name = _english(certificate.title)
    what = "module" if certificate.kind == MODULE else "onboarding path"
    achievement = {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": name,
        "description": f"Completion of the CX Academy {what} “{name}”, training for contact-centre agents.",
        "criteria": {"narrative": f"Every lesson of the {what} read and every quiz in it passed in CX Academy."},
        "inLanguage": "en",
    }
    editions = [{"id": f"{achievement_id}-{lang}", "type": ["Related"], "inLanguage": lang, "name": title}
                for lang, title in sorted(certificate.title.items()) if lang != "en" and title]
    if editions:
        achievement["related"] = editions
    return achievement


def open_badge(certificate, holder):
    """The certificate as an unsigned OpenBadgeCredential. ``validUntil`` is its end date
    only; a revocation shows in the status list, not here."""
    badge = {
        "@context": CONTEXT,
        "id": public_url("lms.credentials.verify", code=certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _english(certificate.title),
        "issuer": issuer_summary(),
        "validFrom": iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.recipient_name,
            "identifier": [recipient_identity(certificate, holder)],
            "achievement": _achievement(certificate),
        },
        "credentialStatus": status_entry(certificate),
        "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if certificate.expires_at:
        badge["validUntil"] = iso(certificate.expires_at)
    return badge
