"""Problems found in the curriculum, each naming the file and the field."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How serious a problem is: errors fail the build, warnings fail it only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the curriculum, located by file and field."""

    file: str
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        location = f"{self.file}: {self.field}" if self.field else self.file
        return f"{self.severity.value}: {location}: {self.message}"


class CurriculumError(Exception):
    """Raised when the curriculum cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def relative_name(path: Path, root: Path) -> str:
    """The path as it should appear in a message: relative to the repository root where possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
