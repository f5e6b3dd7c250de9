"""A tiny LTI 1.3 platform for the tests, built on ``lti1p3platform`` (a library nobody on
this project wrote) and served on loopback: it starts logins, signs launches (resource link
and deep linking), issues access tokens, takes scores, keeps a line items container (found
and made in memory), serves a roster and checks deep-linking
answers, all with the library's own classes. What it received is kept on ``Platform``."""

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, redirect, request
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService
from werkzeug.serving import make_server

LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LEARNER, INSTRUCTOR = LIS + "Learner", LIS + "Instructor"
ADMINISTRATOR = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"


def new_private_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def public_pem(private_pem):
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@dataclass
class Launch:
    """What the platform launches for a login hint: who, in which course, which link."""

    sub: str
    roles: list
    name: str = "Nader Ahmadi"
    email: str | None = None
    activity: str | None = None
    deep_link: bool = False
    context_id: str = "course-1"
    context_title: str = "CX 101"
    #: What the AGS claim names: "lineitem" (the link's own), "lineitems" (only the container,
    #: with the right to make line items) or "none" (no AGS claim).
    ags: str = "lineitem"


@dataclass
class Platform:
    """The platform's state: its key, the tool's addresses, and what it has received."""

    base: str
    tool: str
    client_id: str = "cx-academy"
    deployment_id: str = "deployment-1"
    private_pem: str = field(default_factory=new_private_pem)
    launches: dict = field(default_factory=dict)
    members: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    deep_link_items: list = field(default_factory=list)
    lineitems: dict = field(default_factory=dict)  # made in the container: id -> line item
    searches: int = 0  # GETs of the container
    slow_search: float = 0  # seconds each GET of the container takes
    down: bool = False  # every gradebook service answers 503

    @property
    def issuer(self):
        return self.base

    def lineitem_url(self, activity):
        return f"{self.base}/lineitems/{activity.replace(':', '-')}/lineitem"

    def memberships_url(self, context_id):
        return f"{self.base}/contexts/{context_id}/memberships"


class Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, platform):
        self.platform = platform

    def get_registration_by_params(self, **kwargs):
        p = self.platform
        return (Registration().set_iss(p.issuer).set_client_id(p.client_id).set_deployment_id(p.deployment_id)
                .set_oidc_login_url(f"{p.tool}/lti/login").set_launch_url(f"{p.tool}/lti/launch")
                .set_deeplink_launch_url(f"{p.tool}/lti/launch").set_tool_key_set_url(f"{p.tool}/lti/jwks.json")
                .set_platform_private_key(p.private_pem).set_platform_public_key(public_pem(p.private_pem)))


class FlaskRequest(Request):
    def build_metadata(self, req):
        return {"method": req.method, "form_data": req.form.to_dict(), "get_data": req.args.to_dict(),
                "headers": req.headers, "content_type": req.content_type, "path": req.path,
                "json": req.get_json(silent=True)}


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return redirect(url)


class MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    """The launch the login hint names, with the claims a real platform sends."""

    def __init__(self, request, platform_config, platform):
        super().__init__(request, platform_config)
        self.platform = platform

    def prepare_launch(self, preflight_response):
        p = self.platform
        launch = p.launches[preflight_response["lti_message_hint"]]
        self.set_user_data(launch.sub, launch.roles, full_name=launch.name, email_address=launch.email)
        self.set_launch_context_claim(launch.context_id, context_title=launch.context_title,
                                      context_label=launch.context_id)
        self.set_nrps(p.memberships_url(launch.context_id))
        if launch.deep_link:
            self.set_dl(f"{p.base}/deep-link-return", title="Pick CX Academy activities")
            return
        self.set_resource_link_claim(f"link-{launch.activity}")
        self.set_custom_parameters_claim({"activity": launch.activity})
        if launch.ags == "lineitem":
            self.set_ags(f"{p.base}/lineitems", p.lineitem_url(launch.activity), allow_creating_lineitems=False)
        elif launch.ags == "lineitems":
            self.set_ags(f"{p.base}/lineitems", allow_creating_lineitems=True)

    def render_launch_form(self, launch_data, **kwargs):
        inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in launch_data.items()
                         if k != "launch_url")
        # posted at once by the browser, as a platform's launch page does
        return (f'<form method="post" action="{launch_data["launch_url"]}">{inputs}</form>'
                "<script>document.forms[0].submit()</script>")


class Grades(AssignmentsGradesService):
    def __init__(self, request, conf, platform):
        super().__init__(request, conf, f"{platform.base}/lineitems")
        self.platform = platform

    def update_score(self, line_item_id, score):
        self.platform.scores.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, page=1, limit=None, line_item_id=None, resource_link_id=None, resource_id=None,
                       tag=None):
        self.platform.searches += 1
        time.sleep(self.platform.slow_search)
        wanted = {"id": line_item_id, "resourceLinkId": resource_link_id, "resourceId": resource_id, "tag": tag}
        found = [item for item in self.platform.lineitems.values()
                 if all(value is None or item.get(key) == value for key, value in wanted.items())]
        return {"content": found, "has_next": False, "next": None}

    def create_lineitem(self, creation_data):
        p = self.platform
        item = dict(creation_data, id=f"{p.base}/lineitems/made-{len(p.lineitems) + 1}/lineitem")
        p.lineitems[item["id"]] = item
        return item

    def find_lineitem(self, *args, **kwargs):
        raise NotImplementedError

    update_lineitem = delete_lineitem = get_results = find_lineitem


class Roster(NamesRoleProvisioningService):
    def __init__(self, request, conf, platform, context_id):
        super().__init__(request, conf, platform.memberships_url(context_id))
        self.platform, self.context_id = platform, context_id

    def get_context_by_id(self):
        return Context(id=self.context_id, label=self.context_id, title="CX 101")

    def get_member_data_page(self, **kwargs):
        return {"content": [dict(m) for m in self.platform.members], "has_next": False, "next": None}


def platform_app(p):
    app = Flask("lti_platform")

    def conf():
        return Conf(platform=p)  # a new one each time: the tool's key set is fetched afresh

    def answer(resp):
        body = resp.result.get("content", resp.result) if resp.result else {"message": resp.message}
        return jsonify(body), resp.code

    @app.get("/course/<hint>")
    def course(hint):
        """A course page showing the tool in an iframe, as Moodle or Canvas do."""
        return f'<h1>CX 101</h1><iframe id="tool" title="CX Academy" src="/start/{hint}"></iframe>'

    @app.get("/start/<hint>")
    def start(hint):
        login = Login(FlaskRequest(request), conf())
        login.set_lti_message_hint(hint=hint)
        return login.initiate_login(p.launches[hint].sub)

    @app.route("/authorize", methods=("GET", "POST"))
    def authorize():
        return MessageLaunch(FlaskRequest(request), conf(), p).lti_launch()

    @app.get("/jwks")
    def jwks():
        c = conf()
        c.get_registration()
        return jsonify(c.get_jwks())

    @app.post("/token")
    def token():
        c = conf()
        c.get_registration()
        return jsonify(c.get_access_token(request.form.to_dict()))

    def grades():
        c = conf()
        c.get_registration()
        return Grades(FlaskRequest(request), c, p)

    @app.before_request
    def gradebook_down():
        if p.down and request.path.startswith("/lineitems"):
            return jsonify({"message": "gradebook down for maintenance"}), 503

    @app.post("/lineitems/<item>/lineitem/scores")
    def scores(item):
        return answer(grades().handle_update_score(item))

    @app.route("/lineitems", methods=("GET", "POST"))
    def lineitems():
        service = grades()
        return answer(service.handle_get_lineitems() if request.method == "GET" else service.handle_create_lineitem())

    @app.get("/contexts/<context_id>/memberships")
    def memberships(context_id):
        c = conf()
        c.get_registration()
        return answer(Roster(FlaskRequest(request), c, p, context_id).handle_get_members())

    @app.post("/deep-link-return")
    def deep_link_return():
        c = conf()
        c.get_registration()
        p.deep_link_items = c.validate_deeplinking_resp({"JWT": request.form["JWT"]})
        return "saved"

    return app


class Served:
    """A WSGI app on a free loopback port (chosen by the system, so runs side by side never
    collide), in a thread. ``app`` may be set after binding, once the address is known."""

    def __init__(self, app=None):
        self.httpd = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, app):
        self.httpd.app = app

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def form_fields(html, marker=""):
    """(action, {name: value}) of the first form of a page whose tag holds ``marker``."""
    form = next(f for f in re.findall(r"<form[^>]*>.*?</form>", html, re.S) if marker in f.split(">", 1)[0])
    action = re.search(r'action="([^"]+)"', form).group(1)
    return action, dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def resign(id_token, private_pem, header_kid=None, **changes):
    """The id_token with ``changes`` to its claims, signed again by ``private_pem`` (the
    platform's own key for a tampered claim, another key for a forgery), keeping the kid."""
    claims = jwt.decode(id_token, options={"verify_signature": False})
    claims.update(changes)
    kid = header_kid or jwt.get_unverified_header(id_token)["kid"]
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": kid})


def expired():
    return int(time.time()) - 60


@contextmanager
def registered_platform(app, tool):
    """A fresh platform served on a free port and registered with the tool at ``tool`` (its
    people join the site "Learning partners"); stopped afterwards."""
    from lms import db
    from lms.accounts.models import Site
    from lms.lti.platforms import save_platform

    served = Served()
    p = Platform(base=served.url, tool=tool)
    served.serve(platform_app(p))
    with app.app_context():
        site = Site(name="Learning partners")
        db.session.add(site)
        db.session.flush()
        save_platform({"name": "Moodle", "issuer": p.issuer, "client_id": p.client_id,
                       "auth_login_url": f"{p.base}/authorize", "auth_token_url": f"{p.base}/token",
                       "key_set_url": f"{p.base}/jwks", "deployment_ids": [p.deployment_id], "site_id": site.id})
        db.session.commit()
    try:
        yield p
    finally:
        served.stop()
