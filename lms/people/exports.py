"""The sheet of first passwords an admin hands to new people: CSV with a byte-order mark, so a
spreadsheet program reads Persian names right; the same columns as the import's template."""

import csv
import io

from ..gaps.exports import safe_cell

COLUMNS = ["employee id", "name", "username", "email", "team", "temporary password"]


def passwords_csv(pairs):
    """``pairs``: [(person, temporary password)] as passwords.first_passwords() returns them."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for person, password in pairs:
        writer.writerow([safe_cell(v) for v in (person.employee_id or "", person.display_name, person.username,
                                                 person.email or "", person.team.name if person.team else "",
                                                 password)])
    return out.getvalue()
