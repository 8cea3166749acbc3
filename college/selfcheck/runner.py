"""Run a question's visible tests against the trainee's own variables, check by check.

Formative only: this runs in the trainee's Python (their kernel, or the process ``college exercise check``
starts), with no sandbox, no fork and no sockets, so it behaves the same on Windows, macOS and Linux. Grading
never uses it.

Each top-level ``assert`` of a test cell is one check. A failed check is reported with the test's own message
(what to look at) and the run goes on to the next check; any other error stops that test cell, with the error
in plain words (a name not defined yet usually means an answer cell has not been run).
"""

from __future__ import annotations

import ast
import contextlib
import io
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from college.selfcheck.questions import Question, TestCell

RECORD_ON_PATHWAY = (
    "Every question passes its visible checks. To count this exercise on your pathway, press "
    "\u201cI've passed this exercise's checks\u201d on its page of the college's site (kept in your browser only)."
)
"""Said when every question of a notebook passes: the site records progress, the notebook cannot reach it."""


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    message: str
    """For a failed check: the test's message, or the check itself when it has none."""


@dataclass(frozen=True)
class QuestionReport:
    question: Question
    checks: tuple[CheckOutcome, ...]
    problem: str
    """Why the tests could not all run ('' if they did): an error in plain words."""

    @property
    def passed(self) -> bool:
        return not self.problem and bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def failed_checks(self) -> tuple[CheckOutcome, ...]:
        return tuple(check for check in self.checks if not check.passed)


def missing_package(error: BaseException) -> str:
    """For an import of a package that is not installed, how to install it ('' for any other error)."""
    if not isinstance(error, ModuleNotFoundError) or not error.name:
        return ""
    package = error.name.split(".")[0]
    return (
        f"`{package}` is not installed in this Python: run `%pip install {package}` in a cell of the notebook, "
        "restart the kernel, then run the notebook again"
    )


def _explain(error: BaseException) -> str:
    if missing := missing_package(error):
        return missing
    if isinstance(error, NotImplementedError):
        return "an answer cell still raises NotImplementedError: replace it with your answer and run it"
    if isinstance(error, NameError):
        name = getattr(error, "name", None) or str(error)
        return f"`{name}` is not defined yet: write your answer in the cell above, run it, then check again"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[-1] if text else 'no message'}"


def _assert_message(error: AssertionError, node: ast.Assert, source: str) -> str:
    if error.args and str(error.args[0]).strip():
        return str(error.args[0]).strip()
    return f"this check failed: {ast.get_source_segment(source, node) or ast.unparse(node)}"


def run_test(test: TestCell, namespace: MutableMapping[str, Any]) -> tuple[list[CheckOutcome], str]:
    """Run one test cell's visible tests; names it assigns stay out of ``namespace`` (a shallow copy is used)."""
    try:
        tree = ast.parse(test.source, filename=f"<test {test.grade_id}>")
    except SyntaxError as error:
        return [], f"the test cell does not compile ({error.msg}); it may have been edited"
    scope = dict(namespace)
    scope.setdefault("__builtins__", __builtins__)
    outcomes: list[CheckOutcome] = []
    for node in tree.body:
        code = compile(ast.Module(body=[node], type_ignores=[]), f"<test {test.grade_id}>", "exec")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(code, scope)
        except AssertionError as error:
            if isinstance(node, ast.Assert):
                outcomes.append(CheckOutcome(False, _assert_message(error, node, test.source)))
                continue
            message = str(error).strip() or "a check inside this test failed"
            outcomes.append(CheckOutcome(False, message))
            continue
        except Exception as error:  # the trainee's code or state: report it, never raise into their notebook
            return outcomes, _explain(error)
        if isinstance(node, ast.Assert) or _holds_assert(node):
            outcomes.append(CheckOutcome(True, ""))
    return outcomes, ""


def _holds_assert(node: ast.stmt) -> bool:
    return any(isinstance(child, ast.Assert) for child in ast.walk(node))


def run_question(question: Question, namespace: MutableMapping[str, Any]) -> QuestionReport:
    checks: list[CheckOutcome] = []
    for test in question.tests:
        outcomes, problem = run_test(test, namespace)
        checks.extend(outcomes)
        if problem:
            return QuestionReport(question, tuple(checks), problem)
    return QuestionReport(question, tuple(checks), "")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def describe(report: QuestionReport) -> str:
    """The report in plain words, a line for the verdict and one for each thing to look at."""
    question = report.question
    total = len(report.checks)
    lines: list[str]
    if report.passed:
        lines = [f"{question.title}: passed ({_plural(total, 'visible check')})."]
    else:
        passing = total - len(report.failed_checks)
        counted = f" ({passing} of {_plural(total, 'visible check')} pass)" if total else ""
        lines = [f"{question.title}: not yet{counted}."]
        lines += [f"  - Look at: {check.message}" for check in report.failed_checks]
        if report.problem:
            lines.append(f"  - The checks stopped: {report.problem}.")
    if question.hidden_checks:
        lines.append(
            f"  Grading adds {_plural(question.hidden_checks, 'hidden check')} to this question, so passing "
            "here is a good sign, not a guarantee."
        )
    if not report.passed and question.hints:
        lines.append(f'  For a hint, run hint("{question.id}").')
    return "\n".join(lines)
