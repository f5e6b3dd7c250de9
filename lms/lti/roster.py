"""Names and Role Provisioning Services: a course's roster becomes its team. Members are
linked (or created) as at a launch; nobody is removed from the team by a sync (a platform's
roster may be paged or filtered: leaving is for the people pages)."""

from dataclasses import dataclass

from pylti1p3.names_roles import NamesRolesProvisioningService

from .. import db
from .linking import Person, join_team, link_person
from .toolconf import Connector, registration_for


@dataclass
class SyncReport:
    created: int = 0
    linked: int = 0
    skipped: int = 0  # inactive or deleted on the platform


def sync_roster(context):
    """Fetch the roster of ``context`` (an LtiContext) and bring it into its team; commits.
    Raises pylti1p3's LtiServiceException (or a network error) when the platform refuses."""
    if not context.memberships_url:
        raise ValueError("This course was launched without a roster service (NRPS).")
    platform = context.platform
    service = NamesRolesProvisioningService(Connector(registration_for(platform)),
                                            {"context_memberships_url": context.memberships_url})
    members = service.get_members()
    report = SyncReport()
    for member in members:
        if member.get("status", "Active") != "Active":
            report.skipped += 1
            continue
        user, created = link_person(platform, Person.from_member(member))
        if created:
            report.created += 1
        else:
            report.linked += 1
        join_team(user, context.team_id)
    db.session.commit()
    return report
