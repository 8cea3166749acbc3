"""Step 3c, execute: run a plan in a fresh sandboxed process, deciding each test in the grader as it comes.

If the process is lost part-way (a time limit, a crash, ``os._exit``), the questions already decided keep their
verdicts and the rest are marked with what happened; nothing of the submission is thrown away.
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
from autograder.verdict import TestOutcome, run_test


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


def _error_text(reply_error: Any) -> str:
    return reply_error.traceback or f"{reply_error.type}: {reply_error.message}"


def execute_plan(plan: Plan, sandbox: Sandbox, limits: Limits, tutor: dict[str, Any]) -> Execution:
    """Run every step of ``plan``; returns what each cell did and each question's verdict."""
    cells: list[CellRecord] = []
    outcomes: dict[str, TestOutcome] = {}
    errors_before: dict[str, tuple[str, ...]] = {}
    errors: list[str] = []
    carried: dict[str, Any] = {}
    loss: Loss | None = None
    running = testing = 0.0
    session = ChildSession(sandbox, limits)
    try:
        for step in plan.steps:
            if isinstance(step, MarkdownStep):
                cells.append(CellRecord(kind=CellKind.MARKDOWN, label="", source=step.source))
                continue
            if loss is not None:
                if isinstance(step, CodeStep):
                    kind = CellKind.TUTOR if step.tutor else CellKind.TRAINEE
                    cells.append(CellRecord(kind=kind, label=step.label, source=step.shown, ran=False))
                else:
                    cells.append(
                        CellRecord(
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
                    loss = Loss(lost.kind, step.label, lost.detail, session.close())
                    cells.append(
                        CellRecord(kind=kind, label=step.label, source=step.shown, error=_loss_text(loss))
                    )
                    continue
                finally:
                    running += time.perf_counter() - started
                error = _error_text(reply.error) if reply.error else ""
                if reply.error is not None:
                    errors.append(f"{reply.error.type} in {step.label}")
                cells.append(
                    CellRecord(
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
                outcome = run_test(question, session, tutor, carried)
                testing += time.perf_counter() - started
                outcomes[question.grade_id] = outcome
                cells.append(
                    CellRecord(
                        kind=CellKind.TEST,
                        label=question.grade_id,
                        source=question.release_source,
                        stdout=outcome.output,
                        question=question.grade_id,
                    )
                )
                if outcome.lost is not None:
                    loss = Loss(
                        outcome.lost.kind, f"test {question.grade_id}", outcome.lost.detail, session.close()
                    )
    finally:
        exit_info = session.close()
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
