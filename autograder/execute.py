"""Step 3c, execute: run a plan in a fresh sandboxed process, deciding each test in the grader as it comes.

Each test's visible checks run at the test's turn; its hidden checks run after the trainee's last cell (see
:class:`~autograder.verdict.PendingHidden`), so no hidden input can reach anything the trainee sees. If the process
is lost part-way (a time limit, a crash, ``os._exit``), the questions already decided keep their verdicts, the rest
are marked with what happened, and the hidden checks of the questions already answered still run, in a fresh
process that replays the trainee's cells up to the one that was lost (without keeping anything they print).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from autograder.models import CellKind, CellRecord
from autograder.plan import CodeStep, MarkdownStep, Plan, TestStep
from autograder.sandbox.child import EXIT_SEND_FAILED
from autograder.sandbox.launcher import ChildExit, Sandbox
from autograder.sandbox.limits import Limits
from autograder.sandbox.session import ChildSession, SandboxLost
from autograder.verdict import LiveSession, TestContext, TestOutcome, run_hidden, run_test

MAX_REPLAYS = 2
"""How many times grading starts the trainee's process again to finish hidden checks after it was lost."""


@dataclass(frozen=True)
class Loss:
    """How and where the trainee's process was lost."""

    kind: str
    """'timeout', 'died' or 'protocol'."""
    where: str
    detail: str
    exit: ChildExit | None


@dataclass(frozen=True)
class Execution:
    cells: tuple[CellRecord, ...]
    outcomes: dict[str, TestOutcome]
    loss: Loss | None
    errors_before: dict[str, tuple[str, ...]]
    """For each question: the errors the trainee's cells raised since the previous test (for the reason)."""
    seconds_running: float
    seconds_testing: float


class OutputBudget:
    """Characters of cell text and output kept for one notebook, whatever its number of cells: once spent, the
    rest of each text is replaced by a note. Every :class:`CellRecord` passes through :meth:`record`."""

    NOTE = "\n[... not kept: this notebook's output allowance is used up]"

    def __init__(self, chars: int) -> None:
        self.left = chars
        self.spent = False

    def take(self, text: str) -> str:
        """``text`` whole if the allowance covers it; else what is left of the allowance and, the first time
        only, the note saying the rest was not kept."""
        if len(text) <= self.left:
            self.left -= len(text)
            return text
        kept, note = text[: self.left], "" if self.spent else self.NOTE
        self.left, self.spent = 0, True
        return kept + note

    def record(self, **fields: Any) -> CellRecord:
        for name in ("source", "stdout", "stderr", "result", "error"):
            if name in fields:
                fields[name] = self.take(str(fields[name]))
        return CellRecord(**fields)


def _error_text(reply_error: Any) -> str:
    return reply_error.traceback or f"{reply_error.type}: {reply_error.message}"


def _replay(plan: Plan, upto: int, sandbox: Sandbox, limits: Limits) -> ChildSession | None:
    """A fresh process that has run the trainee's code cells before step ``upto`` (their output dropped)."""
    session = ChildSession(sandbox, limits)
    for step in plan.steps[:upto]:
        if isinstance(step, CodeStep):
            try:
                session.run(step.source, step.label)
            except SandboxLost:
                session.close()
                return None
    return session


def _finish_hidden(
    plan: Plan,
    outcomes: dict[str, TestOutcome],
    live: LiveSession,
    steps_done: int,
    sandbox: Sandbox,
    limits: Limits,
    context: TestContext,
) -> float:
    """Run every pending hidden check, in question order; returns the seconds it took."""
    started = time.perf_counter()
    replays = 0
    for grade_id, outcome in list(outcomes.items()):
        if outcome.pending is None:
            continue
        if live.current.lost is not None:
            fresh = _replay(plan, steps_done, sandbox, limits) if replays < MAX_REPLAYS else None
            replays += 1
            if fresh is None:
                outcomes[grade_id] = TestOutcome(
                    False,
                    0.0,
                    "the hidden checks could not be run: the process running your notebook was lost",
                    outcome.output,
                    unavailable=outcome.unavailable,
                )
                continue
            live.current.close()
            live.current = fresh
        outcomes[grade_id] = run_hidden(outcome.pending, context)
    live.current.close()
    return time.perf_counter() - started


def execute_plan(plan: Plan, sandbox: Sandbox, limits: Limits, context: TestContext) -> Execution:
    """Run every step of ``plan``; returns what each cell did and each question's verdict."""
    cells: list[CellRecord] = []
    outcomes: dict[str, TestOutcome] = {}
    errors_before: dict[str, tuple[str, ...]] = {}
    errors: list[str] = []
    carried: dict[str, Any] = {}
    loss: Loss | None = None
    running = testing = 0.0
    budget = OutputBudget(limits.notebook_output_chars)
    session = ChildSession(sandbox, limits)
    live = LiveSession(session)
    steps_done = len(plan.steps)
    try:
        for position, step in enumerate(plan.steps):
            if isinstance(step, MarkdownStep):
                cells.append(budget.record(kind=CellKind.MARKDOWN, label="", source=step.source))
                continue
            if loss is not None:
                if isinstance(step, CodeStep):
                    kind = CellKind.TUTOR if step.tutor else CellKind.TRAINEE
                    cells.append(budget.record(kind=kind, label=step.label, source=step.shown, ran=False))
                else:
                    cells.append(
                        budget.record(
                            kind=CellKind.TEST,
                            label=step.question.grade_id,
                            source=step.question.release_source,
                            ran=False,
                            question=step.question.grade_id,
                        )
                    )
                continue
            started = time.perf_counter()
            if isinstance(step, CodeStep):
                kind = CellKind.TUTOR if step.tutor else CellKind.TRAINEE
                try:
                    reply = session.run(step.source, step.label)
                except SandboxLost as lost:
                    steps_done = position
                    loss = Loss(lost.kind, step.label, lost.detail, session.close())
                    cells.append(
                        budget.record(kind=kind, label=step.label, source=step.shown, error=_loss_text(loss))
                    )
                    continue
                finally:
                    running += time.perf_counter() - started
                error = _error_text(reply.error) if reply.error else ""
                if reply.error is not None:
                    errors.append(f"{reply.error.type} in {step.label}")
                cells.append(
                    budget.record(
                        kind=kind,
                        label=step.label,
                        source=step.shown,
                        stdout=reply.stdout,
                        stderr=reply.stderr,
                        result=reply.result,
                        error=error,
                    )
                )
            elif isinstance(step, TestStep):
                question = step.question
                errors_before[question.grade_id] = tuple(errors)
                errors.clear()
                outcome = run_test(question, live, context, carried)
                testing += time.perf_counter() - started
                outcomes[question.grade_id] = outcome
                cells.append(
                    budget.record(
                        kind=CellKind.TEST,
                        label=question.grade_id,
                        source=question.release_source,
                        stdout=outcome.output,
                        question=question.grade_id,
                    )
                )
                if outcome.lost is not None:
                    steps_done = position
                    loss = Loss(
                        outcome.lost.kind, f"test {question.grade_id}", outcome.lost.detail, session.close()
                    )
        testing += _finish_hidden(plan, outcomes, live, steps_done, sandbox, limits, context)
    finally:
        exit_info = session.close()  # idempotent: the exit recorded when it was lost, if it was
        live.current.close()
    if loss is not None and loss.exit is None:
        loss = Loss(loss.kind, loss.where, loss.detail, exit_info)
    return Execution(tuple(cells), outcomes, loss, errors_before, running, testing)


def _loss_text(loss: Loss) -> str:
    return f"Grading stopped here: {describe_loss(loss)}."


def describe_loss(loss: Loss) -> str:
    """What happened to the trainee's process, in plain words."""
    exit_info = loss.exit
    if loss.kind == "timeout":
        return f"{loss.where} {loss.detail} (an endless loop?)"
    if loss.kind == "protocol":
        return f"{loss.detail} during {loss.where}"
    if exit_info is not None and exit_info.signal is not None and not exit_info.killed:
        names = {
            9: "SIGKILL (often: over the memory or CPU limit)",
            11: "SIGSEGV (a crash)",
            6: "SIGABRT (a crash)",
            24: "SIGXCPU (over the CPU time limit)",
            25: "SIGXFSZ (a file over the size limit)",
        }
        return f"the Python process running your notebook crashed during {loss.where}: signal {names.get(exit_info.signal, exit_info.signal)}"
    if exit_info is not None and exit_info.exitcode == EXIT_SEND_FAILED:
        return (
            f"your code broke the process's link to the grader during {loss.where} (did it change built-ins, "
            "json or sys?)"
        )
    if exit_info is not None and exit_info.exitcode is not None:
        return (
            f"the Python process running your notebook exited during {loss.where} (exit code {exit_info.exitcode}: "
            "os._exit, sys.exit in a thread, or a crash)"
        )
    return f"the Python process running your notebook stopped during {loss.where}"
