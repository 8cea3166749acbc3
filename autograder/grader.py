"""Grade one submission from start to finish: validate, plan, execute in the sandbox, score, render feedback.

A :class:`Grader` lives in one worker process and owns one sandbox, reused (one fresh child per submission) for
every submission that worker grades.
"""

from __future__ import annotations

import time
from pathlib import Path

from autograder.collect import Submission
from autograder.datacache import DataCache, with_cached_pandas
from autograder.errors import GradingError
from autograder.execute import describe_loss, execute_plan
from autograder.feedback import render_feedback
from autograder.models import StageTimes, TraineeResult
from autograder.plan import build_plan
from autograder.sandbox.launcher import Isolation, Sandbox
from autograder.score import invalid_result, overall_status, score_questions, summary_reason
from autograder.validate import InvalidNotebook, read_notebook
from autograder.verdict import TestContext, answer_names, tutor_namespace
from autograder.worker_setup import Graded, GraderSetup, SandboxSetup, make_tests_folder

__all__ = ["Graded", "Grader", "GraderSetup", "SandboxSetup", "make_tests_folder"]


class Grader:
    """Grades submissions one at a time with one sandbox and one test context.

    ``tests_folder`` is where test code's relative paths (``data/...``) point; the process must have been
    started there (a grader never changes the working folder of the process it lives in).
    """

    def __init__(
        self, setup: GraderSetup, tests_folder: Path | None = None, sandbox: Sandbox | None = None
    ) -> None:
        """``sandbox``, if given, is one already launched from ``setup.sandbox`` (the worker starts it before it
        imports the grader); otherwise the grader launches its own. Either way the sandbox's zygote imports its
        libraries while the tests' namespace is built here."""
        folder = (tests_folder or Path.cwd()).resolve()
        if Path.cwd().resolve() != folder:
            raise GradingError(folder, "a grader must run in its tests folder (start the worker there)")
        if sandbox is not None and (
            sandbox.limits != setup.limits
            or sandbox.data_files != setup.spec.data_files
            or sandbox.request != setup.isolation
        ):
            raise GradingError("grading worker", "the sandbox was started with other limits or data")
        self.spec = setup.spec
        self.limits = setup.limits
        self.sandbox = sandbox if sandbox is not None else setup.sandbox.launch()
        try:
            self.data_cache = DataCache(setup.spec.data_files, folder)
            self.context = TestContext(
                with_cached_pandas(tutor_namespace(setup.spec.tutor_imports), self.data_cache),
                seconds=setup.limits.grader_test_seconds,
                answers=answer_names(setup.spec),
            )
            self.sandbox.wait_ready()
        except BaseException:
            self.sandbox.close()
            raise

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
        execution = execute_plan(plan, self.sandbox, self.limits, self.context)
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
