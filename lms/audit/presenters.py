"""How the audit page words kinds and values, in the reader's language."""

from ..i18n import _


def kind_title(kind):
    titles = {
        "attempt.started": _("Quiz attempt started"),
        "attempt.graded": _("Quiz attempt graded"),
        "attempt.closed": _("Quiz attempt closed by the system"),
        "review.saved": _("Typed reply reviewed"),
        "certificate.issued": _("Certificate issued"),
        "certificate.revoked": _("Certificate revoked"),
        "certificate.restored": _("Certificate restored"),
        "certificate.renewed": _("Certificate renewed"),
        "assignment.made": _("Work assigned"),
        "assignment.withdrawn": _("Assignment withdrawn"),
        "assignment.completed": _("Assignment done"),
        "person.created": _("Person added"),
        "person.changed": _("Person changed"),
        "person.deactivated": _("Person deactivated"),
        "person.reactivated": _("Person reactivated"),
        "person.password_reset": _("Password reset"),
        "person.coach_added": _("Made coach of a team"),
        "person.coach_removed": _("No longer coach of a team"),
        "people.imported": _("People imported"),
        "team.created": _("Team added"),
        "team.changed": _("Team changed"),
        "site.created": _("Site added"),
        "site.changed": _("Site changed"),
        "settings.gaps": _("Gap settings changed"),
        "lti.platform_removed": _("LTI platform removed"),
        "praise.recorded": _("Customer praise recorded"),
        "praise.acknowledged": _("Customer praise acknowledged"),
    }
    return titles.get(kind, kind)


def group_title(group):
    return {"attempts": _("Attempts and grades"), "reviews": _("Reviews"), "certificates": _("Certificates"),
            "assignments": _("Assignments"), "people": _("People and roles"), "teams": _("Teams and sites"),
            "settings": _("Settings"), "recognition": _("Recognition")}.get(group, group)


def value_text(value):
    """A before or after value as short text (lists joined, nothing as a dash)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def changed_fields(event):
    """(field, before, after) for every field the event names, in a stable order."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(key, before.get(key), after.get(key)) for key in keys]


TEMPLATE_HELPERS = {"audit_kind": kind_title, "audit_group": group_title, "audit_value": value_text,
                    "audit_fields": changed_fields}
