"""Signing keys of the site (LTI messages, verifiable credentials), shared by every machine."""

from .store import current_key, find_key, public_jwks, rotate

__all__ = ["current_key", "find_key", "public_jwks", "rotate"]
