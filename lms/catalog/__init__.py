"""Content: lessons, quizzes and the onboarding path, loaded from files. No Flask here."""

from .errors import ContentError, ContentProblem
from .loader import load_catalog
from .schema import DIMENSIONS, LEADERSHIP, TOPICS, Catalog, pick

__all__ = ["Catalog", "ContentError", "ContentProblem", "DIMENSIONS", "LEADERSHIP", "TOPICS", "load_catalog", "pick"]
