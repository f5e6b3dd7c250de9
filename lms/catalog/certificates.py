"""A module's optional ``certificate: {valid_months, renew_with}``: how long its certificate
stays valid and which quiz renews it. Problems name the file, the line and the field."""

from .schema import CertificatePolicy

CERTIFICATE_FIELDS = {"valid_months", "renew_with"}
#: The longest a certificate may stay valid: ten years.
MAX_VALID_MONTHS = 120


def read_certificate_policy(file, node, quiz_id):
    """None when the module has none, False when it is broken (reported). ``renew_with``
    defaults to the module's own quiz; check_renewal() checks it once every quiz is read."""
    if "certificate" not in node:
        return None
    raw = file.get(node, "certificate", dict)
    if raw is None:
        return False
    file.known(raw, CERTIFICATE_FIELDS, "certificate")
    months = file.get(raw, "valid_months", int, "certificate.valid_months")
    if months is not None and not 1 <= months <= MAX_VALID_MONTHS:
        file.problem(raw.line_of("valid_months"), "certificate.valid_months",
                     f"must be a whole number of months from 1 to {MAX_VALID_MONTHS}, not {months}")
        months = None
    renew_with = file.ident(raw, "renew_with", "certificate.renew_with") if "renew_with" in raw else quiz_id
    if months is None or renew_with is None:
        return False
    return CertificatePolicy(months, renew_with)


def check_renewal(file, node, module, quiz, broken_quizzes):
    """A certificate is renewed by passing the module's quiz or a refresher of its topic."""
    renew_with = module.certificate.renew_with
    if quiz is None and renew_with in broken_quizzes:
        return  # its own file's problems are reported already
    if quiz is None:
        file.problem(node.line_of("renew_with"), "certificate.renew_with", f"no quiz or refresher {renew_with!r}")
    elif quiz.id != module.quiz_id and (quiz.kind != "refresher" or quiz.topic != module.topic):
        file.problem(node.line_of("renew_with"), "certificate.renew_with",
                     f"{renew_with!r} is neither this module's quiz nor a {module.topic} refresher")
