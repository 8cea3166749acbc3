"""Trainees check their own work: run their notebook and its visible tests, question by question.

It needs only the released notebook and its ``data/`` folder (no repository, no hidden tests, no gradebook) and
writes nothing. If the notebook happens to contain hidden tests (a tutor's source notebook), they are skipped,
never run or shown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.errors import GradingError
from autograder.execute import describe_loss, execute_plan
from autograder.exercise import ExerciseSpec, build_spec
from autograder.models import Status
from autograder.plan import build_plan
from autograder.sandbox.launcher import IsolationRequest, Sandbox
from autograder.sandbox.limits import Limits
from autograder.score import score_questions
from autograder.validate import InvalidNotebook, read_notebook
from autograder.verdict import TestContext, answer_names, tutor_namespace


@dataclass(frozen=True)
class CheckedQuestion:
    question: str
    points: float
    passed: bool
    status: Status
    message: str


@dataclass(frozen=True)
class CheckResult:
    notebook: Path
    questions: tuple[CheckedQuestion, ...]
    cell_errors: tuple[str, ...]
    """Errors the notebook's own cells raised (cell label and exception)."""
    stopped: str
    """Why the run stopped early ('' if it ran to the end)."""

    @property
    def all_passed(self) -> bool:
        return all(question.passed for question in self.questions)


def _visible_only(spec: ExerciseSpec) -> ExerciseSpec:
    questions = tuple(
        replace(question, segments=tuple(segment for segment in question.segments if not segment.hidden))
        for question in spec.questions
    )
    return replace(spec, questions=questions)


@contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def check_notebook(
    path: Path, *, limits: Limits | None = None, isolation: IsolationRequest = "auto"
) -> CheckResult:
    """Run ``path`` and its visible tests; data files are read from the ``data/`` folder beside it."""
    limits = limits or Limits()
    path = path.resolve()
    if not path.is_file():
        raise GradingError(path, "no such notebook")
    try:
        notebook = read_notebook(path, limits.notebook_mb * 1_000_000)
    except InvalidNotebook as invalid:
        raise GradingError(path, str(invalid)) from None
    data_folder = path.parent / "data"
    data_files = (
        tuple(sorted(p for p in data_folder.iterdir() if p.is_file())) if data_folder.is_dir() else ()
    )
    spec = _visible_only(
        build_spec(
            exercise_id=path.stem,
            title=path.stem,
            notebook=path,
            data_files=data_files,
            competencies=(),
            limits=limits,
        )
    )
    plan = build_plan(spec, notebook)
    with (
        Sandbox(limits=limits, data_files=data_files, isolation=isolation) as sandbox,
        _working_directory(path.parent),
    ):
        execution = execute_plan(
            plan,
            sandbox,
            limits,
            TestContext(tutor_namespace(spec.tutor_imports), answers=answer_names(spec)),
        )
    questions = tuple(
        CheckedQuestion(
            question=result.question,
            points=result.max_score,
            passed=result.status is Status.GRADED and result.score >= result.max_score,
            status=result.status,
            message=result.visible_message or ("" if result.status is Status.GRADED else result.reason),
        )
        for result in score_questions(spec, plan, execution)
    )
    errors = tuple(
        f"{cell.label}: {cell.error.strip().splitlines()[-1]}" for cell in execution.cells if cell.error
    )
    stopped = describe_loss(execution.loss) if execution.loss is not None else ""
    return CheckResult(path, questions, errors, stopped)
