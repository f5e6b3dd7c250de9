"""CSV for spreadsheet programs: one writer for every export, so each starts with a UTF-8
byte-order mark (without it Excel reads Persian names as mojibake) and no cell runs as a
formula."""

import csv
import io

#: Excel takes a UTF-8 file without this mark for the local code page.
BOM = "\ufeff"


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(columns, rows):
    """The CSV of ``columns`` then ``rows`` (iterables of values), every cell made safe."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()
