"""Every access rule the pages use, in one place. Views ask these functions and never read a
role themselves, so a rule changes here once and tests/test_routes.py checks each route
against each role.

Roles: an agent learns and sees only their own records; a coach follows and coaches the
agents of their teams; a manager runs their site (its people, teams, certificates, reports);
an admin runs every site and owns the content."""

from sqlalchemy import select

from .. import db
from .models import ROLES, Team, TeamCoach, User

LEADERS = ("coach", "manager", "admin")


def coached_team_ids(user):
    return set(db.session.scalars(select(TeamCoach.team_id).where(TeamCoach.user_id == user.id)))


# -- what kind of pages a person may open ----------------------------------------------------

def is_leader(user):
    """Coaches, managers and admins: the coaching pages, team pages and the leaders' track."""
    return user.role in LEADERS


def is_agent(user):
    """Agents have a to-do list, a support pulse and an onboarding path of their own."""
    return user.role == "agent"


def runs_a_site(user):
    """Managers and admins: site reports, certificates, people, the audit trail."""
    return user.role in ("manager", "admin")


def is_admin(user):
    """Admins: every site, the sites themselves and the content's item analysis."""
    return user.role == "admin"


def can_review_replies(user):
    """Coaches review their agents' typed role-play replies (admins may stand in)."""
    return user.role in ("coach", "admin")


def can_analyse_items(user):
    """Item analysis judges the content, which admins own."""
    return user.role == "admin"


def can_import_questions(user):
    """Imported questions become content, which admins own."""
    return user.role == "admin"


def can_take_pulse(user):
    """The support pulse asks an agent about the coach and lead of their team."""
    return user.role == "agent" and user.team_id is not None


def can_take_culture_pulse(user):
    """The culture pulse asks a site's agents (of a team) and coaches how work there really goes."""
    return user.site_id is not None and (user.role == "coach" or (user.role == "agent" and user.team_id is not None))


def can_view_culture(user):
    """The culture pulse's report is the managers' (their site's) and admins'."""
    return runs_a_site(user)


def can_manage_site_settings(user):
    """The gap settings and the late-coaches view belong to a site: a manager's or an admin's own."""
    return runs_a_site(user) and user.site_id is not None


# -- whom a person may see --------------------------------------------------------------------

def visible_teams(viewer):
    """Teams whose people ``viewer`` may follow: a coach's own, a manager's site's, all for admins."""
    query = select(Team).order_by(Team.name)
    if viewer.role == "admin":
        return list(db.session.scalars(query))
    if viewer.role == "manager":
        return list(db.session.scalars(query.where(Team.site_id == viewer.site_id)))
    if viewer.role == "coach":
        return list(db.session.scalars(query.join(TeamCoach).where(TeamCoach.user_id == viewer.id)))
    return []


def can_view_team(viewer, team, coached=None):
    """``coached``: whether the viewer coaches the team, when the caller knows it already."""
    if viewer.role == "admin":
        return True
    if viewer.role == "manager":
        return team.site_id == viewer.site_id
    if viewer.role == "coach":
        return coached if coached is not None else team.id in coached_team_ids(viewer)
    return False


def can_view_site(viewer, site):
    return viewer.role == "admin" or (viewer.role == "manager" and site.id == viewer.site_id)


def can_view_learner(viewer, learner: User):
    """An agent sees only themselves; a coach their teams' agents; a manager their site's."""
    if viewer.id == learner.id or viewer.role == "admin":
        return True
    if viewer.role == "manager":
        return learner.site_id is not None and learner.site_id == viewer.site_id
    if viewer.role == "coach":
        return learner.team_id is not None and learner.team_id in coached_team_ids(viewer)
    return False


def can_coach(viewer, learner: User):
    """Who may assign work to, answer, and log 1:1s with ``learner``: their coaches, their
    site's managers and admins; never the learner themself."""
    return is_leader(viewer) and viewer.id != learner.id and can_view_learner(viewer, learner)


def can_review(coach, agent):
    """Only the agent's own coaches (and admins) review their typed replies."""
    if coach.role == "admin":
        return True
    return coach.role == "coach" and agent.team_id is not None and agent.team_id in coached_team_ids(coach)


def _coachable(viewer):
    """The select of the active agents ``viewer`` may coach; None for nobody."""
    query = select(User).join(Team, User.team_id == Team.id).where(User.role == "agent", User.active.is_(True))
    if viewer.role == "coach":
        return query.join(TeamCoach, TeamCoach.team_id == Team.id).where(TeamCoach.user_id == viewer.id)
    if viewer.role == "manager":
        return query.where(Team.site_id == viewer.site_id)
    return query if viewer.role == "admin" else None


def coachable_agents(viewer):
    """The active agents ``viewer`` may coach, by team then name."""
    query = _coachable(viewer)
    return [] if query is None else list(db.session.scalars(query.order_by(Team.name, User.display_name)))


def can_praise(viewer, agent: User, coaching=None):
    """Who may record a customer's praise of ``agent``: those who may coach them, and the
    agents of their own team; never the agent themself, and only agents are praised here.
    ``coaching``: can_coach(viewer, agent), when the caller knows it already."""
    if agent.role != "agent" or not agent.active or viewer.id == agent.id:
        return False
    if viewer.role == "agent":
        return viewer.team_id is not None and viewer.team_id == agent.team_id
    return coaching if coaching is not None else can_coach(viewer, agent)


def praisable(viewer):
    """The select of the active agents ``viewer`` may record praise for (can_praise, for many
    at once); None for nobody."""
    if viewer.role != "agent":
        return _coachable(viewer)
    if viewer.team_id is None:
        return None
    return (select(User).join(Team, User.team_id == Team.id)
            .where(User.team_id == viewer.team_id, User.role == "agent", User.active.is_(True), User.id != viewer.id))


def praisable_agents(viewer):
    """The active agents ``viewer`` may record praise for, by team then name."""
    query = praisable(viewer)
    return [] if query is None else list(db.session.scalars(query.order_by(Team.name, User.display_name)))


# -- certificates -------------------------------------------------------------------------------

def can_manage_certificates(user):
    """Issuing, revoking, restoring and printing others' certificates: managers and admins."""
    return runs_a_site(user)


def can_manage_certificate_of(viewer, holder: User):
    """A manager manages the certificates of their site's people; an admin everyone's."""
    return viewer.role == "admin" or (viewer.role == "manager" and holder.site_id is not None
                                      and holder.site_id == viewer.site_id)


# -- running a site: people, teams, sites, the audit trail -------------------------------------

def can_administer_people(user):
    """The people, teams and import pages: admins for every site, managers for their own."""
    return user.role == "admin" or (user.role == "manager" and user.site_id is not None)


def can_manage_sites(user):
    """Creating and renaming sites: admins only."""
    return user.role == "admin"


def managed_site_id(user):
    """The one site a manager administers; None for an admin (every site)."""
    return None if user.role == "admin" else user.site_id


def can_manage_team(viewer, team):
    return viewer.role == "admin" or (viewer.role == "manager" and team.site_id == viewer.site_id)


def can_edit_person(viewer, person: User):
    """An admin edits anyone but themself-as-admin's role (see grantable_roles); a manager edits
    the people of their site who are not admins."""
    if viewer.role == "admin":
        return True
    return (viewer.role == "manager" and person.role != "admin" and person.site_id is not None
            and person.site_id == viewer.site_id)


def grantable_roles(viewer):
    """The roles ``viewer`` may give: an admin any, a manager any below admin."""
    if viewer.role == "admin":
        return ROLES
    if viewer.role == "manager":
        return tuple(r for r in ROLES if r != "admin")
    return ()


def can_view_audit(user):
    """The audit trail: an admin's of every site, a manager's of their site's people."""
    return can_administer_people(user)


def audit_site_id(user):
    """The site whose events ``user`` sees; None: every site."""
    return managed_site_id(user)


def can_open_import(user, batch):
    """An uploaded HR export (ImportBatch): any for an admin; a manager's only when it was
    uploaded for their site."""
    return can_administer_people(user) and (managed_site_id(user) is None or batch.site_id == user.site_id)


#: For templates: the same rules, asked as ``can.manage_certificates(lms_user)``.
TEMPLATE_RULES = {
    "leader": is_leader,
    "agent": is_agent,
    "run_site": runs_a_site,
    "admin": is_admin,
    "analyse_items": can_analyse_items,
    "import_questions": can_import_questions,
    "review_replies": can_review_replies,
    "manage_certificates": can_manage_certificates,
    "administer_people": can_administer_people,
    "manage_sites": can_manage_sites,
    "view_audit": can_view_audit,
    "manage_site_settings": can_manage_site_settings,
    "view_culture": can_view_culture,
    "coach": can_coach,
    "praise": can_praise,
    "edit_person": can_edit_person,
}
