"""Errors the tutor can act on: each names the file at fault and says what is wrong with it."""

from __future__ import annotations

from pathlib import Path


class GradingError(Exception):
    """A problem that stops grading before it starts (a bad exercise, an unreadable submissions folder...)."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


class ExerciseError(GradingError):
    """The exercise's source notebook or data cannot be graded as it stands."""
