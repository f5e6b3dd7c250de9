"""The sheet of first passwords an admin hands to new people: CSV with a byte-order mark, so a
spreadsheet program reads Persian names right; the same columns as the import's template."""

from ..sheets import csv_text

COLUMNS = ["employee id", "name", "username", "email", "team", "temporary password"]


def passwords_csv(pairs):
    """``pairs``: [(person, temporary password)] as passwords.first_passwords() returns them."""
    return csv_text(COLUMNS, ((person.employee_id or "", person.display_name, person.username, person.email or "",
                               person.team.name if person.team else "", password) for person, password in pairs))
