"""Content errors that name the file, the line and the field."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentProblem:
    """One broken input in a content file."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised when content does not load; carries every problem found, first one first."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
