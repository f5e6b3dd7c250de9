"""Printing certificates: each page in its holder's language (or the one asked for), naming
the holder's site as the issuer. A large print is a background job that lays the certificates
out a part at a time, keeps each part on disk and reports its progress, so a worker restarted
mid-print resumes from the last part it finished instead of starting over."""

import hashlib
import io
import os

from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from .. import db
from ..accounts.models import Site, User
from ..i18n import _, language_of
from ..i18n import lazy_gettext as _l
from ..jobs import enqueue, kind
from .models import Certificate
from .render import certificates_pdf

#: Certificates laid out (and kept on disk) together in a background print: small enough that
#: progress moves and a restart loses little, large enough that each part's setup is amortised.
JOB_PART = 25
RESULT = "certificates.pdf"


def issuer_name(site_id):
    site = db.session.get(Site, site_id) if site_id else None
    return site.name if site else _("CX Academy")


def pages_for(rows, lang=None):
    """(certificate, holder) rows -> (certificate, language, issuer) pages."""
    issuers = {}
    pages = []
    for certificate, holder in rows:
        if holder.site_id not in issuers:
            issuers[holder.site_id] = issuer_name(holder.site_id)
        pages.append((certificate, lang or language_of(holder), issuers[holder.site_id]))
    return pages


def start_print(user_id, certificate_ids, lang=None):
    """The background print of these certificates for this person: the same request twice
    (a double click, a reload) is the same job."""
    digest = hashlib.sha256(",".join(map(str, certificate_ids)).encode()).hexdigest()[:32]
    return enqueue("certificates.print", {"certificate_ids": list(certificate_ids), "lang": lang},
                   key=f"certificates.print:{user_id}:{lang or ''}:{digest}", user_id=user_id,
                   total=len(certificate_ids))


@kind("certificates.print", label=_l("Certificate print"))
def print_job(work):
    ids = work.args["certificate_ids"]
    folder = work.folder
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for number, start in enumerate(range(0, len(ids), JOB_PART)):
        part = folder / f"part-{number:04d}.pdf"
        if not part.exists():  # left by an earlier try: already laid out
            _write(part, certificates_pdf(pages_for(_rows(ids[start:start + JOB_PART]), work.args.get("lang"))))
        parts.append(part)
        work.progress(min(start + JOB_PART, len(ids)), len(ids))
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(part))
    out = io.BytesIO()
    writer.write(out)
    _write(folder / RESULT, out.getvalue())
    for part in parts:
        part.unlink()
    work.result_file = RESULT


def _rows(ids):
    found = {c.id: (c, holder) for c, holder in db.session.execute(
        select(Certificate, User).join(User, User.id == Certificate.user_id).where(Certificate.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _write(path, data):
    """Whole or not at all: a worker killed while writing leaves no half a part behind."""
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
