"""Reading an HR export into rows of known fields. CSV in UTF-8 (with or without a byte-order
mark), UTF-16 or Windows-1256 (what Persian Excel saves), comma, semicolon or tab separated; or
the first sheet of an XLSX workbook. Headers in English or Persian, with common synonyms."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from ..i18n import _, localize_digits

MAX_BYTES = 5 * 1024 * 1024
EXTENSIONS = (".csv", ".txt", ".xlsx")

#: Each field and the headers HR systems give it, written as _header_key() leaves them.
SYNONYMS = {
    "employee_id": ("employeeid", "employeeno", "employeenumber", "personnelnumber", "personnelno", "staffid",
                    "کدپرسنلی", "شمارهپرسنلی", "کدکارمندی"),
    "name": ("name", "fullname", "displayname", "نام", "نامونامخانوادگی", "نامکامل"),
    "email": ("email", "emailaddress", "mail", "ایمیل", "پستالکترونیک", "پستالکترونیکی", "نشانیایمیل"),
    "role": ("role", "نقش"),
    "site": ("site", "centre", "center", "location", "مرکز", "سایت"),
    "team": ("team", "تیم"),
    "hired_on": ("hiredate", "hiredon", "startdate", "dateofhire", "تاریخاستخدام", "تاریخشروع"),
    "locale": ("language", "locale", "lang", "زبان"),
    "username": ("username", "login", "نامکاربری"),
    "status": ("status", "وضعیت"),
    "coach_of": ("coachof", "coachofteam", "coachofteams", "مربیتیم", "مربیتیمها"),
}
HEADERS = {synonym: field for field, synonyms in SYNONYMS.items() for synonym in synonyms}
#: The template's headers, and how the pages name a field in messages.
TEMPLATE_HEADERS = ("employee id", "name", "email", "role", "site", "team", "hire date", "language", "username",
                    "status", "coach of")
_ARABIC_LETTERS = str.maketrans("يك", "یک")


class ReadError(ValueError):
    """A file that cannot be read as a roster, and why (in the reader's language)."""


@dataclass(frozen=True)
class Sheet:
    """The rows of a roster: ``columns`` maps each known field to the header the file gives it;
    ``rows`` are (spreadsheet row number, {field: value}); ``unknown`` the headers not understood."""

    columns: dict
    rows: list
    unknown: tuple


def _header_key(text):
    """Case, spaces, punctuation, zero-width joiners and Arabic letter forms do not matter."""
    return re.sub(r"[\s_\-.\u200c\u200f\u200e:]+", "", str(text or "").lower().translate(_ARABIC_LETTERS))


def read_roster(filename, content):
    """The :class:`Sheet` in ``content``; raises :class:`ReadError` for a file that is not one."""
    name = (filename or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ReadError(_("Upload the export as a CSV file or an Excel workbook (.xlsx)."))
    if not content or not content.strip():
        raise ReadError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ReadError(_("The file is larger than %(mb)s MB. Split it, or leave out columns CX Academy does "
                          "not use.", mb=localize_digits(MAX_BYTES // (1024 * 1024))))
    table = _xlsx_rows(content) if name.endswith(".xlsx") else _csv_rows(decode(content))
    return _sheet(table)


def decode(content):
    """Text of a CSV: a byte-order mark decides; else UTF-8 if it is valid, else Windows-1256."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if b"\x00" in content[:200]:  # UTF-16 saved without a mark: every ASCII letter has a zero byte
        return content.decode("utf-16-le" if content[1:2] == b"\x00" else "utf-16-be", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1256 has no Persian yeh and keheh: Persian Windows writes the Arabic letters.
        return content.decode("cp1256", errors="replace").translate(_ARABIC_LETTERS)


def _csv_rows(text):
    header = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ReadError(_("This file could not be read as CSV. Save it again from your spreadsheet as CSV "
                          "or as an Excel workbook.")) from None


def _xlsx_rows(content):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ReadError(_("This file could not be read as an Excel workbook (.xlsx). Save it again from Excel, "
                          "or as CSV.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_xlsx_value(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _xlsx_value(value):
    """Dates stay dates; a whole number stays whole (an employee id 1001, not 1001.0)."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(row):
    return all(v == "" or v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _sheet(table):
    numbered = [(number, row) for number, row in enumerate(table, start=1) if not _blank(row)]
    if not numbered:
        raise ReadError(_("The file is empty."))
    header, body = numbered[0][1], numbered[1:]
    columns, positions, unknown = {}, {}, []
    for position, title in enumerate(header):
        title = " ".join(str(title or "").split())
        field = HEADERS.get(_header_key(title))
        if field is None:
            if title:
                unknown.append(title)
        elif field in columns:
            raise ReadError(_("The columns “%(first)s” and “%(second)s” both hold the same thing; keep one.",
                              first=columns[field], second=title))
        else:
            columns[field], positions[field] = title, position
    if "name" not in columns:
        raise ReadError(_("The file has no “name” column (or “نام”)."))
    if "employee_id" not in columns and "email" not in columns:
        raise ReadError(_("The file needs an “employee id” or an “email” column to tell people apart."))
    if not body:
        raise ReadError(_("The file has headers but no people."))
    rows = [(number, {field: row[p] if p < len(row) else "" for field, p in positions.items()})
            for number, row in body]
    return Sheet(columns=columns, rows=rows, unknown=tuple(unknown))
