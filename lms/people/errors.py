"""Why a change to people, teams or sites was not made: the pages answer 403 to Refused and
re-render the form with Invalid's errors; the command line prints either."""


class Refused(Exception):
    """``by`` may not make this change (the pages answer 403)."""


class Invalid(ValueError):
    """Values that cannot be stored: ``errors`` maps each field to a sentence."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

    def show_on(self, form):
        """Put each error under its field of ``form`` (or above the form when it has none)."""
        for name, message in self.errors.items():
            (form[name].errors if name in form else form.form_errors).append(message)


def refuse_unless(allowed, message):
    if not allowed:
        raise Refused(message)
