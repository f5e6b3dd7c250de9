"""pylti1p3next wired to our database: the tool configuration is the LtiPlatform rows, the
signing key is lms.keys' current RS256 key, and the launch state (nonces, OIDC state, launch
data) lives in lms_lti_state, so a login and its launch may reach different workers."""

import json
from datetime import timedelta

import requests

from cryptography.hazmat.primitives import serialization
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest, FlaskSessionService
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.service_connector import REQUESTS_USER_AGENT, ServiceConnector
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy import delete, select

from .. import db
from ..db import utcnow
from ..keys import current_key
from .models import LtiPlatform, LtiState

ALG = "RS256"
SERVICE_TIMEOUT = 30  # seconds, for each call to a platform's services


class ToolRegistration(Registration):
    """A registration that signs with the site's current key, named by its kid, so a platform
    finds it in our JWKS even after a rotation (retired keys stay published). The key is read
    only when something is signed: validating a launch needs none (and making the first key
    commits, which must not happen in the middle of a launch)."""

    def __init__(self, platform):
        self.platform_id = platform.id
        (self.set_issuer(platform.issuer).set_client_id(platform.client_id)
         .set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
         .set_key_set_url(platform.key_set_url))
        if platform.audience:
            self.set_auth_audience(platform.audience)

    def get_kid(self):
        return current_key(ALG).kid

    def get_tool_private_key(self):
        return current_key(ALG).private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def find_platform(issuer, client_id):
    return db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == issuer,
                                                       LtiPlatform.client_id == client_id))


def registration_for(platform):
    return ToolRegistration(platform)


class DbToolConf(ToolConfAbstract):
    """Registrations from lms_lti_platform. Every issuer may hold several client ids."""

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    # pylti1p3 calls the *_by_issuer lookups only for a config whose issuers hold one client id
    # each; ours says every issuer may hold several, so only the *_by_params lookups are used.
    def find_registration_by_issuer(self, iss, *args, **kwargs):
        raise NotImplementedError("registrations are looked up by issuer and client id")

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        platform = find_platform(iss, client_id)
        return registration_for(platform) if platform else None

    def find_deployment(self, iss, deployment_id):
        raise NotImplementedError("deployments are looked up by issuer and client id")

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = find_platform(iss, client_id)
        if platform is None or deployment_id not in (platform.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)


class DbLaunchDataStorage(LaunchDataStorage):
    """Launch state in lms_lti_state, shared by every worker. Writes join the request's
    transaction: a refused launch rolls back and leaves nothing behind."""

    def get_session_cookie_name(self):
        return None  # keys are unguessable (uuid state, nonce, launch id): no extra cookie

    def can_set_keys_expiration(self):
        return True

    def get_value(self, key):
        row = db.session.get(LtiState, self._prepare_key(key))
        if row is None or row.expires_at < utcnow():
            return None
        return json.loads(row.value)

    def set_value(self, key, value, exp=None):
        row = db.session.get(LtiState, self._prepare_key(key)) or LtiState(key=self._prepare_key(key))
        row.value = json.dumps(value)
        row.expires_at = utcnow() + timedelta(seconds=exp or 3600)
        db.session.add(row)
        db.session.flush()

    def check_value(self, key):
        return self.get_value(key) is not None

    def take(self, key):
        """Delete a live key and say whether it was there: a nonce is good for one launch.
        Two launches racing with one nonce: the second DELETE waits for the first's row lock
        and then finds nothing."""
        deleted = db.session.execute(delete(LtiState).where(LtiState.key == self._prepare_key(key),
                                                            LtiState.expires_at >= utcnow()))
        return deleted.rowcount == 1


def purge_expired_state():
    """Forget launch state past its lifetime (run at each login initiation: one indexed DELETE)."""
    db.session.execute(delete(LtiState).where(LtiState.expires_at < utcnow()))


class OneTimeNonceSession(FlaskSessionService):
    """pylti1p3 only checks that a nonce was issued; we also spend it, so a replayed id_token
    is refused."""

    def check_nonce(self, nonce):
        return self.data_storage.take(self._get_key("nonce", nonce))


def _wired():
    """The request and the services every pylti1p3 object here gets: our tool config, the
    database launch storage, spent nonces."""
    request = FlaskRequest()
    return request, DbToolConf(), {"session_service": OneTimeNonceSession(request),
                                   "launch_data_storage": DbLaunchDataStorage()}


def oidc_login():
    request, conf, services = _wired()
    return FlaskOIDCLogin(request, conf, **services)


def message_launch():
    request, conf, services = _wired()
    return FlaskMessageLaunch(request, conf, service_connector_cls=Connector, **services)


def cached_launch(launch_id):
    """A launch validated earlier (deep linking: the instructor's picks come in a second request)."""
    request, conf, services = _wired()
    return FlaskMessageLaunch.from_cache(launch_id, request, conf, service_connector_cls=Connector, **services)


class TimedSession(requests.Session):
    """pylti1p3 sets no timeout: a platform that never answers would hold a sender (and the
    line item lock, lineitems.resolve) for ever."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", SERVICE_TIMEOUT)
        return super().request(*args, **kwargs)


class Connector(ServiceConnector):
    """Access tokens are not cached between calls: a score or a roster sync is one token
    request more, and no worker keeps a token another might need to revoke."""

    def __init__(self, registration):
        session = TimedSession()
        session.headers["User-Agent"] = REQUESTS_USER_AGENT
        super().__init__(registration, session)

    def _get_cached_access_token(self, scope_key):
        return None

    def _cache_access_token(self, scope_key, access_token, expires_in):
        pass
