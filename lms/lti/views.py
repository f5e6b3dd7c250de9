"""The LTI endpoints (login initiation, launch, key set, deep linking) and the admin pages
for platforms and linked courses. Protocol checks are pylti1p3's; a refused launch rolls back,
so it leaves no account, team, session or launch state behind."""

from urllib.parse import parse_qs, urlsplit

from flask import abort, current_app, flash, jsonify, make_response, redirect, render_template, request, session, url_for
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, LtiInvalidNonceException, LtiKeyException, OIDCException
from pylti1p3.lineitem import LineItem
from sqlalchemy import select

from .. import db
from ..accounts.identity import require_user
from ..accounts.models import Site
from ..accounts.permissions import can_view_team, is_admin, is_leader
from ..accounts.sessions import start_session
from ..content import current_catalog
from ..credentials.urls import public_url
from ..i18n import _
from ..keys import public_jwks
from ..values import Invalid
from ..security import content_security_policy
from . import activities
from .forms import PlatformForm
from .linking import CLAIM, Person, join_team, link_context, link_person, route_scores
from .models import LtiAccount, LtiContext, LtiPlatform
from .frames import FRAME_KEY, frame_origins
from .platforms import origin_of, remove_platform as forget_platform, save_platform
from .roster import sync_roster
from .toolconf import ALG, cached_launch, find_platform, message_launch, oidc_login, purge_expired_state

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"


def csrf_exempt(view):
    """Platforms post here (signed JWTs, OIDC state): no form of ours to carry a CSRF token."""
    view.csrf_exempt = True
    return view


@csrf_exempt
def login():
    """OIDC third-party login initiation (GET or POST from the platform)."""
    _refuse_with_host_login()
    purge_expired_state()
    try:
        response = oidc_login().redirect(public_url("lms.lti.launch"))
    except (LtiException, OIDCException) as error:
        db.session.rollback()
        abort(400, _("This LTI sign-in could not be started: %(reason)s", reason=str(error)))
    db.session.commit()  # the nonce, for the launch to spend
    return response


@csrf_exempt
def launch():
    """The signed launch: validate, link person and course, sign in, go to the activity (or,
    for deep linking, to the picker)."""
    _refuse_with_host_login()
    launch = message_launch()
    try:
        data = launch.get_launch_data()
    except LtiException as error:
        db.session.rollback()
        if str(error) == "State not found":  # the login's cookie never came back: blocked in the iframe
            abort(400, _("Your browser did not keep this tool's cookie inside the course page. Ask the "
                         "course's teacher to open CX Academy in a new window, or allow its cookies."))
        abort(_refusal_code(error), _("This launch was refused: %(reason)s", reason=str(error)))
    platform = find_platform(data["iss"], launch.get_client_id())
    deployment_id = data[CLAIM + "deployment_id"]
    activity = None
    if not launch.is_deep_link_launch():
        activity = activities.find(current_catalog(), _activity_key(data))
        if activity is None:
            db.session.rollback()
            abort(400, _("This link names no activity of CX Academy; ask the course's teacher to pick it again."))
    user, _created = link_person(platform, Person.from_launch(data))
    if not user.active:
        db.session.rollback()
        abort(403, _("This account is deactivated. Ask your manager if you think this is a mistake."))
    if data.get(CLAIM + "context", {}).get("id"):
        context = link_context(platform, data[CLAIM + "context"], deployment_id,
                               data.get(NRPS_CLAIM, {}).get("context_memberships_url"))
        join_team(user, context.team_id)
    if activity is not None:
        unscored = route_scores(user, platform, activity.key, data["sub"], data.get(AGS_CLAIM),
                                (data.get(CLAIM + "resource_link") or {}).get("id"))
        if unscored:  # a gradebook without our scores is a platform setting: say so where an admin looks
            current_app.logger.info("LTI launch of %s from %s sends no score: %s", activity.key, platform.name,
                                    unscored)
    db.session.commit()
    start_session(user)  # a fresh session: nothing of whoever used this browser before
    session[FRAME_KEY] = origin_of(platform.auth_login_url)
    if launch.is_deep_link_launch():
        return redirect(url_for("lms.lti.deep_link", launch_id=launch.get_launch_id()))
    return redirect(activity.url())


def jwks():
    """The tool's public keys (current and retired), for platforms to verify what we sign."""
    response = jsonify(public_jwks(ALG))
    db.session.commit()  # the first request makes the first key
    return response


@require_user
def deep_link(user, launch_id):
    """The instructor picks activities; the signed response goes back to the course editor."""
    launch = _own_launch(user, launch_id)
    catalog = current_catalog()
    if request.method == "POST":
        picked = [activities.find(catalog, key) for key in request.form.getlist("activity")]
        picked = [a for a in picked if a is not None]
        if not picked:
            flash(_("Pick at least one activity."), "error")
            return render_template("lms/lti/deep_link.html", choices=activities.every(catalog)), 400
        deep_link = launch.get_deep_link()
        jwt_value = deep_link.get_response_jwt([_resource(a) for a in picked])
        return_url = launch.get_launch_data()["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"][
            "deep_link_return_url"]
        response = make_response(render_template("lms/lti/deep_link_return.html", return_url=return_url,
                                                 jwt=jwt_value, picked=picked))
        # this one form posts to the platform's course editor
        response.headers["Content-Security-Policy"] = content_security_policy(frame_origins(), [origin_of(return_url)])
        return response
    return render_template("lms/lti/deep_link.html", choices=activities.every(catalog))


@require_user
def platforms(user):
    _require_admin(user)
    rows = db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name)).all()
    contexts = db.session.scalars(select(LtiContext).order_by(LtiContext.title)).all()
    return render_template("lms/lti/platforms.html", platforms=rows, contexts=contexts,
                           launch_url=public_url("lms.lti.launch"),
                           login_url=public_url("lms.lti.login"),
                           jwks_url=public_url("lms.lti.jwks"))


@require_user
def edit_platform(user, platform_id=None):
    _require_admin(user)
    platform = db.session.get(LtiPlatform, platform_id) if platform_id else None
    if platform_id and platform is None:
        abort(404, _("Not found"))
    form = _platform_form(platform)
    if request.method == "POST":
        form.validate()  # no rules of its own (save_platform has them); makes the error lists
        try:
            save_platform(form.data, platform)
        except Invalid as error:
            db.session.rollback()
            error.show_on(form)
            return render_template("lms/lti/platform.html", form=form, platform=platform), 400
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("lms.lti.platforms"))
    return render_template("lms/lti/platform.html", form=form, platform=platform)


@require_user
def remove_platform(user, platform_id):
    """Remove a registration, once its name is typed to confirm (people and history stay)."""
    _require_admin(user)
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        abort(404, _("Not found"))
    if request.form.get("confirm", "").strip() != platform.name:
        flash(_("Type the platform's name exactly to remove it."), "error")
        return render_template("lms/lti/platform.html", form=_platform_form(platform, fresh=True), platform=platform), 400
    name = platform.name
    forget_platform(platform, user)
    db.session.commit()
    flash(_("Platform %(name)s removed; the accounts of its people stay.", name=name), "info")
    return redirect(url_for("lms.lti.platforms"))


@require_user
def courses(user):
    """Courses linked from platforms, as teams the viewer may follow, each with its roster sync."""
    _require_leader(user)
    rows = [c for c in db.session.scalars(select(LtiContext).order_by(LtiContext.title)) if can_view_team(user, c.team)]
    return render_template("lms/lti/courses.html", contexts=rows)


@require_user
def sync(user, context_id):
    """Bring the platform's roster of a course into its team (NRPS)."""
    _require_leader(user)
    context = db.session.get(LtiContext, context_id)
    if context is None or not can_view_team(user, context.team):
        abort(404, _("Not found"))
    try:
        report = sync_roster(context)
    except (LtiException, ValueError, OSError) as error:
        db.session.rollback()
        current_app.logger.warning("Roster sync of LTI course %s failed: %s", context.id, error)
        flash(_("The platform did not give the roster: %(reason)s", reason=str(error)), "error")
        return redirect(url_for("lms.lti.courses"))
    flash(_("Roster synced: %(created)s new, %(linked)s already here, %(skipped)s inactive skipped.",
            created=report.created, linked=report.linked, skipped=report.skipped), "info")
    return redirect(url_for("lms.lti.courses"))


def _platform_form(platform, fresh=False):
    """The registration form: posted values, or the platform's own (a GET, or a page shown
    again after a refused removal)."""
    form = PlatformForm(formdata=None) if fresh else PlatformForm()
    if platform is not None and (fresh or request.method == "GET"):
        form.process(obj=platform)
        form.deployment_ids.data = "\n".join(platform.deployment_ids)
    form.site_id.choices = [(s.id, s.name) for s in db.session.scalars(select(Site).order_by(Site.name))]
    return form


def _refuse_with_host_login():
    """A launch signs the person in with the plugin's own Flask-Login; a host that supplies
    the user (LMS_CURRENT_USER) signs people in itself, so it cannot take launches here."""
    if current_app.config["LMS_CURRENT_USER"] is not None:
        abort(501, _("LTI launches need CX Academy's own sign-in; this site signs people in elsewhere."))


def _activity_key(data):
    """Which activity: the link's custom parameter ``activity`` (set by deep linking), else an
    ``activity`` query parameter of its target link URI."""
    custom = data.get(CLAIM + "custom") or {}
    if custom.get("activity"):
        return custom["activity"]
    query = parse_qs(urlsplit(data.get(CLAIM + "target_link_uri", "")).query)
    return (query.get("activity") or [None])[0]


def _refusal_code(error):
    """401 for a token we cannot trust (signature, expiry, key), 403 for a registration or
    deployment we do not know, 400 for the rest (a missing state, a spent nonce)."""
    text = str(error)
    if isinstance(error, LtiInvalidNonceException):
        return 400
    if isinstance(error, LtiKeyException) or "decode id_token" in text:
        return 401
    if "Registration not found" in text or "deployment ID" in text or "Client id" in text:
        return 403
    return 400


def _own_launch(user, launch_id):
    """A cached deep-linking launch, only for the instructor it signed in."""
    try:
        launch = cached_launch(launch_id)
    except LtiException:
        abort(404, _("This course-editor session has expired; start again from the course."))
    data = launch.get_launch_data()
    owner = db.session.scalar(select(LtiAccount.user_id).where(LtiAccount.issuer == data["iss"],
                                                               LtiAccount.sub == data["sub"]))
    if owner != user.id or not launch.is_deep_link_launch():
        abort(404, _("Not found"))
    if not is_leader(user):
        abort(403, _("Only instructors pick activities for a course."))
    return launch


def _resource(activity):
    resource = (DeepLinkResource().set_url(public_url("lms.lti.launch"))
                .set_title(activity.title).set_custom_params({"activity": activity.key}))
    # Every kind is scored (a quiz by its marks, a role-play by its ending, a module by its
    # completion), so each gets a line item, as one found or made by lineitems.resolve is.
    return resource.set_lineitem(LineItem().set_score_maximum(activity.score_maximum).set_label(activity.title)
                                 .set_resource_id(activity.key))


def _require_admin(user):
    if not is_admin(user):
        abort(403, _("LTI platforms are registered by admins."))


def _require_leader(user):
    if not is_leader(user):
        abort(403, _("Courses are for coaches, managers and admins."))

