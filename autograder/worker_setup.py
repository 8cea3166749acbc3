"""What a grading worker is started with, in a module light enough for the tutor's command to import before
anything heavy: the tutor's command starts its workers (and their sandboxes) first, and prepares the rest while
they start.

:class:`SandboxSetup` is known before the exercise's notebook is parsed (limits, data files, isolation), so a
worker can launch its sandbox from it straight away; :class:`GraderSetup` adds the parsed exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.sandbox.launcher import IsolationRequest, Sandbox
from autograder.sandbox.limits import Limits

if TYPE_CHECKING:
    from autograder.exercise import ExerciseSpec
    from autograder.models import TraineeResult


@dataclass(frozen=True)
class SandboxSetup:
    """What a grading worker's sandbox needs."""

    limits: Limits
    data_files: tuple[Path, ...]
    isolation: IsolationRequest = "auto"

    def to_json(self) -> dict[str, Any]:
        return {
            "limits": self.limits.to_json(),
            "data_files": [str(path) for path in self.data_files],
            "isolation": self.isolation,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxSetup:
        return cls(
            Limits.from_json(data["limits"]),
            tuple(Path(path) for path in data["data_files"]),
            data["isolation"],
        )

    def launch(self) -> Sandbox:
        """The sandbox, launched but not waited for (see :meth:`Sandbox.wait_ready`)."""
        return Sandbox(limits=self.limits, data_files=self.data_files, isolation=self.isolation, wait=False)


@dataclass(frozen=True)
class GraderSetup:
    spec: ExerciseSpec
    limits: Limits
    isolation: IsolationRequest = "auto"

    @property
    def sandbox(self) -> SandboxSetup:
        return SandboxSetup(self.limits, self.spec.data_files, self.isolation)

    def to_json(self) -> dict[str, Any]:
        return {"spec": self.spec.to_json(), "limits": self.limits.to_json(), "isolation": self.isolation}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GraderSetup:
        from autograder.exercise import ExerciseSpec

        return cls(ExerciseSpec.from_json(data["spec"]), Limits.from_json(data["limits"]), data["isolation"])


@dataclass(frozen=True)
class Graded:
    result: TraineeResult
    feedback_html: str


def make_tests_folder(setup: ExerciseSpec | SandboxSetup, folder: Path) -> Path:
    """Fill ``folder`` with ``data/<file>`` links to the exercise's data, so tests can read ``data/...``; it is
    the working folder a grading worker is started in (the pool chooses it, nothing here changes it). The folder
    is made even for an exercise that reads no data, since the worker is started in it."""
    folder.mkdir(parents=True, exist_ok=True)
    if setup.data_files:
        (folder / "data").mkdir(parents=True, exist_ok=True)
        for data_file in setup.data_files:
            link = folder / "data" / data_file.name
            if not link.is_symlink():
                link.symlink_to(data_file)
    return folder
