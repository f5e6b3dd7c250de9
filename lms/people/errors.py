"""Why a change to people, teams or sites was not made: the pages answer 403 to Refused (and
re-render the form with lms.values.Invalid's errors); the command line prints either."""


class Refused(Exception):
    """``by`` may not make this change (the pages answer 403)."""


def refuse_unless(allowed, message):
    if not allowed:
        raise Refused(message)
