"""Certificates as PDF: the site's template in certificates/, a QR code linking to the public
verification page, dates in the Gregorian calendar and, in Persian, the Jalali one too."""

from functools import lru_cache
from pathlib import Path

import jinja2
import segno
from flask import current_app, url_for

from ..config import PROJECT_ROOT
from ..i18n import format_day, gregorian_day, text_direction
from ..pdf import render_pdf


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
    verify_url = url_for("lms.credentials.verify", code=certificate.code, _external=True)
    return {
        "name": certificate.recipient_name,
        "title": certificate.title.get(lang) or certificate.title.get("en", ""),
        "date": format_day(certificate.issued_at, lang),
        "date_other": gregorian_day(certificate.issued_at, "fa") if lang == "fa" else "",
        "issuer": issuer,
        "code": certificate.code,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }


def certificates_html(certificates, lang, issuer):
    folder = certificates_folder()
    template = _environment(str(folder)).get_template("certificate.html")
    pages = [page_context(c, lang, issuer) for c in certificates]
    return template.render(certificates=pages, lang=lang, dir=text_direction(lang))


def certificates_pdf(certificates, lang, issuer):
    """One page per certificate, in one PDF, ready for the printer."""
    folder = certificates_folder()
    stylesheet = (folder / "certificate.css").read_text(encoding="utf-8")
    return render_pdf(certificates_html(certificates, lang, issuer), stylesheet, base_dir=folder)
