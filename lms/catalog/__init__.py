"""Content: lessons, quizzes and the onboarding path, loaded from files. No Flask here."""

from .errors import ContentError, ContentProblem
from .loader import load_catalog
from .schema import DIMENSIONS, TOPICS, Catalog, pick

__all__ = ["Catalog", "ContentError", "ContentProblem", "DIMENSIONS", "TOPICS", "load_catalog", "pick"]
