"""CX Academy: a training and onboarding LMS plugin for contact centres."""

from .accounts.identity import HostUser
from .app import create_app
from .extension import LMS

__all__ = ["LMS", "HostUser", "create_app"]
