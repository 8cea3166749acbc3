"""An existing nbgrader course, read as nbgrader reads it: ``nbgrader_config.py`` and the course's folders.

The course's own configuration is loaded with traitlets (the loader nbgrader's apps use) and applied to nbgrader's
own configurable classes, so every default and option means what it means to nbgrader: the course id, the
gradebook URL and folders (``CourseDirectory``), the delimiters (``ClearSolutions``, ``ClearHiddenTests``), the
time a cell may run (``Execute.timeout``) and the late-submission penalty (``AssignLatePenalties.plugin_class``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.errors import GradingError
from autograder.exercise import Delimiters

if TYPE_CHECKING:
    from traitlets.config import Config

CONFIG_FILE = "nbgrader_config.py"


@dataclass(frozen=True)
class Course:
    """What grading needs from an nbgrader course folder."""

    root: Path
    course_id: str
    db_url: str
    """The course's gradebook, as ``CourseDirectory.db_url`` gives it (``sqlite:///ROOT/gradebook.db`` by default)."""
    delimiters: Delimiters
    cell_timeout: float | None
    """``Execute.timeout`` when the course sets one, else None (the caller's default applies)."""
    config: Config
    source_directory: str = "source"
    submitted_directory: str = "submitted"
    feedback_directory: str = "feedback"
    autograded_directory: str = "autograded"

    def source(self, assignment: str) -> Path:
        return self.root / self.source_directory / assignment

    @property
    def submitted(self) -> Path:
        return self.root / self.submitted_directory

    def feedback(self, student: str, assignment: str) -> Path:
        return self.root / self.feedback_directory / student / assignment

    def autograded(self, student: str, assignment: str) -> Path:
        return self.root / self.autograded_directory / student / assignment

    def notebooks(self, assignment: str) -> tuple[Path, ...]:
        """The assignment's source notebooks, in name order (as nbgrader finds them)."""
        folder = self.source(assignment)
        if not folder.is_dir():
            raise GradingError(folder, f"no such assignment: the course has no folder source/{assignment}/")
        found = tuple(sorted(p for p in folder.glob("*.ipynb") if p.is_file()))
        if not found:
            raise GradingError(folder, "the assignment has no notebooks")
        return found


def load_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py``, loaded with traitlets as nbgrader's apps load it."""
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    path = root / CONFIG_FILE
    if not path.is_file():
        raise GradingError(path, "not an nbgrader course: no nbgrader_config.py")
    try:
        return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except ConfigFileNotFound:
        return Config()
    except Exception as error:  # the course's own Python: name the file, not a traceback
        raise GradingError(path, f"cannot load it ({type(error).__name__}: {error})") from None


def load_course(root: Path) -> Course:
    """The course in ``root``, with every setting taken from nbgrader's configurable classes."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions, Execute

    root = root.resolve()
    config = load_config(root)
    config.CourseDirectory.root = str(root)
    coursedir = CourseDirectory(config=config)
    solutions = ClearSolutions(config=config)
    hidden = ClearHiddenTests(config=config)
    stub = solutions.code_stub.get("python", Delimiters.code_stub)
    timeout = Execute(config=config).timeout if "timeout" in config.Execute else None
    return Course(
        root=root,
        course_id=coursedir.course_id,
        db_url=coursedir.db_url,
        delimiters=Delimiters(
            begin_solution=solutions.begin_solution_delimeter,
            end_solution=solutions.end_solution_delimeter,
            begin_hidden=hidden.begin_test_delimeter,
            end_hidden=hidden.end_test_delimeter,
            code_stub=stub,
        ),
        cell_timeout=float(timeout) if timeout else None,
        config=config,
        source_directory=coursedir.source_directory,
        submitted_directory=coursedir.submitted_directory,
        feedback_directory=coursedir.feedback_directory,
        autograded_directory=coursedir.autograded_directory,
    )


def submission_timestamp(folder: Path) -> dt.datetime | None:
    """The submission's time from nbgrader's ``timestamp.txt`` (naive UTC, as the gradebook stores it)."""
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    if not path.is_file() or path.is_symlink():
        return None
    text = path.read_text(encoding="utf-8", errors="replace").strip()[:100]
    if not text:
        return None
    try:
        return parse_utc(text).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None
