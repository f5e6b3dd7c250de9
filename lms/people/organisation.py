"""Teams, their coaches and sites, as plain functions shared by the admin pages and the
command line. Each change records its audit event in the caller's transaction."""

from sqlalchemy import func, select

from .. import db
from ..accounts.models import Site, Team, TeamCoach
from ..accounts.permissions import can_manage_sites, can_manage_team, managed_site_id
from ..audit import trail
from ..i18n import _
from . import fields
from ..values import Invalid
from .errors import refuse_unless

COACHING_ROLES = ("coach", "manager", "admin")


# -- coaches ------------------------------------------------------------------------------------

def check_coach(team, coach):
    if coach.role not in COACHING_ROLES or not coach.active:
        raise Invalid({"coach_of": _("Only active coaches, managers and admins can coach a team.")})
    if coach.role != "admin" and coach.site_id != team.site_id:
        raise Invalid({"coach_of": _("A coach can only coach teams of their own site.")})


def add_coach(team, coach, by, reason=None):
    if by is not None:
        refuse_unless(can_manage_team(by, team), _("You can only change the teams of your own site."))
    check_coach(team, coach)
    if db.session.get(TeamCoach, (team.id, coach.id)) is not None:
        return
    db.session.add(TeamCoach(team_id=team.id, user_id=coach.id))
    trail.record("person.coach_added", actor=by, person=coach, target=f"team:{team.id}",
                 after={"team": team.name}, reason=reason, site_id=team.site_id)


def remove_coach(team, coach, by, reason=None):
    if by is not None:
        refuse_unless(can_manage_team(by, team), _("You can only change the teams of your own site."))
    link = db.session.get(TeamCoach, (team.id, coach.id))
    if link is None:
        return
    db.session.delete(link)
    trail.record("person.coach_removed", actor=by, person=coach, target=f"team:{team.id}",
                 before={"team": team.name}, reason=reason, site_id=team.site_id)


# -- teams and sites ----------------------------------------------------------------------------

def _unique_name(name, taken, message):
    """A clean name, unless the field rules refuse it or ``taken`` (a query of the ids that
    already bear it, given the lower-case name) finds one."""
    try:
        name = fields.parse_name(name)
    except fields.FieldError as error:
        raise Invalid({"name": str(error)}) from None
    if db.session.scalar(taken(name.lower()).limit(1)) is not None:
        raise Invalid({"name": message})
    return name


def _team_name(name, site_id, team=None):
    return _unique_name(name, lambda lower: select(Team.id).where(
        func.lower(Team.name) == lower, Team.site_id == site_id, Team.id != (team.id if team else None)),
        _("This site already has a team of that name."))


def create_team(by, name, site_id):
    if by is not None and managed_site_id(by) is not None:
        site_id = managed_site_id(by)
    site = db.session.get(Site, site_id) if site_id else None
    if site is None:
        raise Invalid({"site_id": _("There is no such site.")})
    team = Team(name=_team_name(name, site.id), site_id=site.id, site=site)
    if by is not None:
        refuse_unless(can_manage_team(by, team), _("You can only change the teams of your own site."))
    db.session.add(team)
    db.session.flush()
    trail.record("team.created", actor=by, target=f"team:{team.id}", after={"name": team.name, "site": site.name},
                 site_id=site.id)
    return team


def rename_team(team, by, name):
    if by is not None:
        refuse_unless(can_manage_team(by, team), _("You can only change the teams of your own site."))
    name = _team_name(name, team.site_id, team)
    if name != team.name:
        trail.record("team.changed", actor=by, target=f"team:{team.id}", before={"name": team.name},
                     after={"name": name}, site_id=team.site_id)
        team.name = name
    return team


def _site_name(name, site=None):
    return _unique_name(name, lambda lower: select(Site.id).where(
        func.lower(Site.name) == lower, Site.id != (site.id if site else None)),  # None: IS NOT NULL
        _("There is already a site of that name."))


def create_site(by, name):
    if by is not None:
        refuse_unless(can_manage_sites(by), _("Only admins add and rename sites."))
    site = Site(name=_site_name(name))
    db.session.add(site)
    db.session.flush()
    trail.record("site.created", actor=by, target=f"site:{site.id}", after={"name": site.name}, site_id=site.id)
    return site


def rename_site(site, by, name):
    if by is not None:
        refuse_unless(can_manage_sites(by), _("Only admins add and rename sites."))
    name = _site_name(name, site)
    if name != site.name:
        trail.record("site.changed", actor=by, target=f"site:{site.id}", before={"name": site.name},
                     after={"name": name}, site_id=site.id)
        site.name = name
    return site
