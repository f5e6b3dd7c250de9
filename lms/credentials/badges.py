"""Certificates as Open Badges 3.0 credentials (unsigned JSON-LD; a site that wants signed
credentials adds a proof with its own key)."""

from flask import url_for


def _iso(moment):
    return moment.replace(microsecond=0).isoformat() + "Z"


def open_badge(certificate, issuer_name):
    verify_url = url_for("lms.credentials.verify", code=certificate.code, _external=True)
    home = url_for("lms.learning.path", _external=True)
    badge = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": verify_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title.get("en", ""),
        "issuer": {"id": home, "type": ["Profile"], "name": issuer_name},
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.recipient_name,
            "achievement": {
                "id": f"{home}#{certificate.kind}-{certificate.subject_id}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.title.get("en", ""),
                "description": certificate.title.get("fa", ""),
                "criteria": {"narrative": "Every lesson read and every quiz passed in CX Academy."},
            },
        },
    }
    if certificate.revoked_at or certificate.expires_at:
        badge["validUntil"] = _iso(certificate.revoked_at or certificate.expires_at)
    return badge
