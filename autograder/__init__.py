"""The college's autograder: grade a cohort's nbgrader notebooks safely and fast.

The pipeline is collect -> validate -> execute (sandboxed) -> score -> record -> feedback -> export, one module
each; :func:`grade_cohort` runs it. Names are imported lazily, because the sandbox imports this package too and
must not pay for (or be able to reach) the grader's own dependencies.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograder.check import CheckResult, check_notebook
    from autograder.cohort import CohortResult, grade_cohort
    from autograder.release import build_release

__all__ = ["CheckResult", "CohortResult", "build_release", "check_notebook", "grade_cohort"]

_LOCATIONS = {
    "CheckResult": "autograder.check",
    "check_notebook": "autograder.check",
    "CohortResult": "autograder.cohort",
    "grade_cohort": "autograder.cohort",
    "build_release": "autograder.release",
}


def __getattr__(name: str) -> Any:
    if name in _LOCATIONS:
        return getattr(import_module(_LOCATIONS[name]), name)
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")
