"""Which pages may frame ours: a platform's course page shows our activities in an iframe.
Only registered platforms' origins are allowed, and only where LTI is at work: the login and
launch endpoints, and the pages of a session that an LTI launch signed in."""

from flask import request, session

from .platforms import platform_origins

#: The session key holding the launching platform's origin.
FRAME_KEY = "lms_lti_frame"


def frame_origins():
    """The origins besides 'self' that may frame this response (usually none)."""
    if request.endpoint in ("lms.lti.login", "lms.lti.launch"):
        return platform_origins()
    origin = session.get(FRAME_KEY)
    return [origin] if origin else []


def in_lti_frame():
    return FRAME_KEY in session
