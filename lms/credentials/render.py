"""Certificates as PDF: the site's template in certificates/, a QR code linking to the public
verification page, dates in the Gregorian calendar and, in Persian, the Jalali one too."""

import os
from functools import lru_cache
from pathlib import Path

import jinja2
import segno
from flask import current_app

from ..config import PROJECT_ROOT
from ..i18n import format_day, gregorian_day, localize_digits, text_direction
from ..pdf import render_pdf_parts
from .urls import public_url


@lru_cache(maxsize=4)
def _environment(folder):
    # Autoescaping: a name like <img src=...> prints as text.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True)


def certificates_folder():
    """The site's certificates/ beside its content, or the shipped one if it has none."""
    configured = current_app.config.get("LMS_CERTIFICATES_ROOT")
    if configured:
        return Path(configured)
    own = Path(current_app.config["LMS_CONTENT_ROOT"]) / "certificates"
    return own if (own / "certificate.html").exists() else PROJECT_ROOT / "certificates"


def qr_data_uri(url):
    """The verification link as a QR code, inline (nothing to fetch).

    A fixed mask skips segno's trial of all eight (4x faster; any mask gives a valid code).
    One pixel per module, scaled up by CSS with crisp edges: WeasyPrint draws such a PNG
    several times faster than the same code as SVG."""
    qr = segno.make(url, error="m", micro=False, mask=0, boost_error=False)
    return qr.png_data_uri(scale=1, border=1)


def page_context(certificate, lang, issuer):
    """One certificate's page in ``lang``, as its holder's site (``issuer``) issued it."""
    verify_url = public_url("lms.credentials.verify", code=certificate.code)
    return {
        "lang": lang,
        "dir": text_direction(lang),
        "name": certificate.recipient_name,
        "kind": certificate.kind,  # module | path: the wording says what was completed
        "title": certificate.title.get(lang) or certificate.title.get("en", ""),
        "date": format_day(certificate.issued_at, lang),
        "date_other": gregorian_day(certificate.issued_at, "fa") if lang == "fa" else "",
        "until": format_day(certificate.expires_at, lang),  # "" when it never expires
        "until_other": gregorian_day(certificate.expires_at, "fa") if lang == "fa" and certificate.expires_at else "",
        "issuer": issuer,
        "code": certificate.code,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
        # Customers' praise since the holder's previous certificate: 0 when none was counted.
        "praise": localize_digits(certificate.praise_count, lang) if certificate.praise_count else 0,
        "praise_since": format_day(certificate.praise_since, lang),
    }


def certificates_html(pages):
    """``pages``: (certificate, language, issuer) for each page; each page is in its own
    language (the document's is the first one's)."""
    folder = certificates_folder()
    template = _environment(str(folder)).get_template("certificate.html")
    contexts = [page_context(*page) for page in pages]
    lang = contexts[0]["lang"] if contexts else "en"
    return template.render(certificates=contexts, lang=lang, dir=text_direction(lang))


#: Certificates laid out together; larger prints are split into parts of this size.
PART_SIZE = 100


def certificates_pdf(pages):
    """One page per (certificate, language, issuer), in one PDF, ready for the printer. A
    large print is laid out in parts, in parallel when LMS_PDF_PROCESSES allows, and joined
    in order."""
    folder = certificates_folder()
    stylesheet = (folder / "certificate.css").read_text(encoding="utf-8")
    parts = [certificates_html(pages[i:i + PART_SIZE]) for i in range(0, len(pages), PART_SIZE)]
    return render_pdf_parts(parts, stylesheet, base_dir=folder, processes=pdf_processes())


def pdf_processes():
    """LMS_PDF_PROCESSES, or with 0 (the default) the machine's cores, at most four."""
    configured = int(current_app.config["LMS_PDF_PROCESSES"])
    return configured if configured > 0 else min(os.cpu_count() or 1, 4)
