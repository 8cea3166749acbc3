"""Grade one submission from start to finish: validate, plan, execute in the sandbox, score, render feedback.

A :class:`Grader` lives in one worker process and owns one sandbox, reused (one fresh child per submission) for
every submission that worker grades.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import datacache
from autograder.collect import Submission
from autograder.execute import describe_loss, execute_plan
from autograder.exercise import CompetencyTarget, ExerciseSpec, build_spec
from autograder.feedback import render_feedback
from autograder.models import StageTimes, TraineeResult
from autograder.plan import build_plan
from autograder.sandbox.launcher import Isolation, IsolationRequest, Sandbox
from autograder.sandbox.limits import Limits
from autograder.score import invalid_result, overall_status, score_questions, summary_reason
from autograder.validate import InvalidNotebook, read_notebook
from autograder.verdict import tutor_namespace


@dataclass(frozen=True)
class GraderSetup:
    spec: ExerciseSpec
    limits: Limits
    isolation: IsolationRequest = "auto"

    def to_json(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "id": spec.id,
            "title": spec.title,
            "notebook": str(spec.source_path),
            "data_files": [str(path) for path in spec.data_files],
            "competencies": [[c.id, c.level, c.threshold] for c in spec.competencies],
            "limits": self.limits.to_json(),
            "isolation": self.isolation,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GraderSetup:
        limits = Limits.from_json(data["limits"])
        spec = build_spec(
            exercise_id=data["id"],
            title=data["title"],
            notebook=Path(data["notebook"]),
            data_files=[Path(path) for path in data["data_files"]],
            competencies=[CompetencyTarget(c[0], c[1], float(c[2])) for c in data["competencies"]],
            limits=limits,
        )
        return cls(spec, limits, data["isolation"])


@dataclass(frozen=True)
class Graded:
    result: TraineeResult
    feedback_html: str


def data_folder(spec: ExerciseSpec) -> tempfile.TemporaryDirectory[str]:
    """A folder holding ``data/<file>`` links to the exercise's data, so tests can read ``data/...`` too."""
    folder = tempfile.TemporaryDirectory(prefix="college-tests-")
    if spec.data_files:
        (Path(folder.name) / "data").mkdir()
        for data_file in spec.data_files:
            (Path(folder.name) / "data" / data_file.name).symlink_to(data_file)
    return folder


class Grader:
    def __init__(self, setup: GraderSetup) -> None:
        self.spec = setup.spec
        self.limits = setup.limits
        self.sandbox = Sandbox(
            limits=setup.limits, data_files=setup.spec.data_files, isolation=setup.isolation
        )
        self.tutor = tutor_namespace(setup.spec.tutor_imports)
        self.tests_folder = data_folder(setup.spec)
        os.chdir(self.tests_folder.name)
        datacache.install(setup.spec.data_files, Path(self.tests_folder.name))

    @property
    def isolation(self) -> str:
        return self.sandbox.describe()

    @property
    def weak(self) -> bool:
        return self.sandbox.isolation is not Isolation.NAMESPACES

    def grade(self, submission: Submission) -> Graded:
        spec = self.spec
        started = time.perf_counter()
        if submission.notebook is None:
            result = invalid_result(
                spec, submission.trainee, submission.problem, submission.relative, submission.notes
            )
            return Graded(result, render_feedback(result, spec.title))
        try:
            notebook = read_notebook(submission.notebook, self.limits.notebook_mb * 1_000_000)
        except InvalidNotebook as invalid:
            result = invalid_result(
                spec, submission.trainee, str(invalid), submission.relative, submission.notes
            )
            return Graded(result, render_feedback(result, spec.title))
        plan = build_plan(spec, notebook)
        validated = time.perf_counter()
        execution = execute_plan(plan, self.sandbox, self.limits, self.tutor)
        executed = time.perf_counter()
        questions = score_questions(spec, plan, execution)
        stopped = (
            (f"Your notebook was stopped early: {describe_loss(execution.loss)}.",) if execution.loss else ()
        )
        notes = tuple(dict.fromkeys(submission.notes + plan.notes + stopped))
        result = TraineeResult(
            trainee=submission.trainee,
            exercise=spec.id,
            status=overall_status(questions),
            reason=summary_reason(questions, ()),
            score=sum(question.score for question in questions),
            max_score=spec.max_score,
            questions=questions,
            cells=execution.cells,
            notes=notes,
            submission_file=submission.relative,
            submission_sha256=notebook.sha256,
            exercise_fingerprint=spec.fingerprint,
            isolation=self.isolation,
        )
        html = render_feedback(result, spec.title)
        times = StageTimes(
            reading=validated - started,
            execute=execution.seconds_running,
            tests=execution.seconds_testing,
            feedback=time.perf_counter() - executed,
        )
        return Graded(result.model_copy(update={"times": times}), html)

    def close(self) -> None:
        self.sandbox.close()
        self.tests_folder.cleanup()
