"""Grade submissions in parallel: N worker processes, each with its own :class:`~autograder.grader.Grader`.

If a worker process dies or hangs (it should not: trainee code runs in the sandbox, not here), the submission it
held is reported as errored and a new worker takes its place; the cohort always completes.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from autograder.collect import Submission
from autograder.errors import GradingError
from autograder.models import Status, TraineeResult
from autograder.safe_text import printable
from autograder.sandbox.protocol import ChannelClosed, ProtocolError, Timeout, recv_message, send_message
from autograder.scratch import ScratchFolder
from autograder.worker_setup import Graded, GraderSetup, SandboxSetup, make_tests_folder

STARTUP_SECONDS = 180.0
MAX_MESSAGE = 256 * 1024 * 1024


class PoolStartError(GradingError):
    """A grading worker could not start (the message says why)."""

    def __init__(self, message: str) -> None:
        super().__init__("grading worker", message)


def failed_result(setup: GraderSetup, submission: Submission, reason: str) -> Graded:
    """A result for a submission the grader itself could not finish."""
    from autograder.feedback import render_feedback
    from autograder.score import zero_result

    spec = setup.spec
    result = zero_result(spec, submission.trainee, Status.ERRORED, reason, submission.relative)
    return Graded(result, render_feedback(result, spec.title))


def _worker_environment(temp: Path) -> dict[str, str]:
    """The caller's environment, with the grader's own code importable by absolute path (the worker starts in
    its tests folder, so a relative ``PYTHONPATH`` would point elsewhere) and temporary files under ``temp``."""
    code_root = str(Path(__file__).resolve().parent.parent)
    inherited = [
        str(Path(entry).resolve()) for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry
    ]
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(dict.fromkeys([code_root, *inherited])),
        "PYTHONSAFEPATH": "1",
        "TMPDIR": str(temp),
    }


class Pool(Protocol):
    """What grading a cohort needs of a pool: this module's local one, or :mod:`autograder.cluster`'s Dask one."""

    isolation: str
    weak: bool

    def grade(self, submissions: Sequence[Submission]) -> Iterator[Graded]: ...

    def close(self) -> None: ...


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    sock: socket.socket
    task: tuple[int, Submission] | None = None
    started: float = 0.0
    released: bool = False


class GradingPool:
    """Worker processes that grade submissions; iterate :meth:`grade` to get results as they finish.

    Given a :class:`SandboxSetup` rather than a :class:`GraderSetup`, the workers start (each launching its
    sandbox) before the exercise is parsed; :meth:`configure` then gives them the exercise. :meth:`start` hands
    out the first submissions without waiting for the workers to be ready, so the caller can do other work
    (open the gradebook) while they start and grade.
    """

    def __init__(self, setup: GraderSetup | SandboxSetup, workers: int) -> None:
        self.sandbox_setup = setup.sandbox if isinstance(setup, GraderSetup) else setup
        self._setup = setup if isinstance(setup, GraderSetup) else None
        self.folder = ScratchFolder("college-grading-")
        """Each worker's working folder (the tests' ``data/`` links) and, under ``tmp/``, its temporary files:
        removed with the pool, so a killed or replaced worker leaves nothing behind."""
        self.tests_folder = make_tests_folder(self.sandbox_setup, Path(self.folder.name) / "tests")
        self.temp = Path(self.folder.name) / "tmp"
        self.temp.mkdir()
        self.isolation = ""
        self.weak = False
        self.workers: list[_Worker] = []
        self.started = False
        self.pending: list[tuple[int, Submission]] | None = None
        try:
            self.workers = [self._spawn() for _ in range(max(1, workers))]
        except BaseException:
            self.close()
            raise

    @property
    def setup(self) -> GraderSetup:
        if self._setup is None:
            raise GradingError("grading worker", "the pool has not been given the exercise (configure)")
        return self._setup

    def configure(self, setup: GraderSetup) -> None:
        """Give every worker the exercise (once): it must be the one whose sandbox they started."""
        if self._setup is not None:
            return
        if setup.sandbox != self.sandbox_setup:
            raise GradingError("grading worker", "the exercise's limits or data differ from the workers'")
        self._setup = setup
        for worker in self.workers:
            with contextlib.suppress(OSError):  # a dead worker is noticed when its answer is awaited
                send_message(worker.sock, {"setup": setup.to_json()})

    def resize(self, workers: int) -> None:
        """Keep ``workers`` workers (at least one): stop the surplus (before any was given work), or start more."""
        assert not self.started and self.pending is None, "resize before handing out work"
        wanted = max(1, workers)
        while len(self.workers) > wanted:
            worker = self.workers.pop()
            assert worker.task is None, "resize before handing out work"
            self._stop(worker)
        while len(self.workers) < wanted:
            self.workers.append(self._spawn())

    def wait_ready(self) -> None:
        """Wait until every worker has started (its sandbox included); spawning does not wait, so the caller
        can do other work (open the gradebook) meanwhile."""
        if self.started:
            return
        try:
            for worker in self.workers:
                self._await_ready(worker)
                worker.started = time.monotonic()  # a submission handed out early is timed from now
        except BaseException:
            self.close()
            raise
        self.started = True

    def _spawn(self) -> _Worker:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "autograder.worker", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                cwd=self.tests_folder,
                env=_worker_environment(self.temp),
            )
        finally:
            theirs.close()
        send_message(mine, {"sandbox": self.sandbox_setup.to_json()})
        if self._setup is not None:
            send_message(mine, {"setup": self._setup.to_json()})
        return _Worker(process, mine)

    def _await_ready(self, worker: _Worker) -> None:
        try:
            message = recv_message(
                worker.sock, max_bytes=MAX_MESSAGE, deadline=time.monotonic() + STARTUP_SECONDS
            )
        except (Timeout, ProtocolError, OSError) as error:
            raise PoolStartError(f"a grading worker did not start ({type(error).__name__})") from None
        if message.get("op") != "ready":
            raise PoolStartError(f"a grading worker could not start: {message.get('error')}")
        self.isolation, self.weak = str(message["isolation"]), bool(message["weak"])

    def _stop(self, worker: _Worker) -> None:
        worker.sock.close()
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait()

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        fresh = self._spawn()
        self._await_ready(fresh)
        self.workers[self.workers.index(worker)] = fresh

    def grade(self, submissions: Sequence[Submission]) -> Iterator[Graded]:
        """Grade every submission, yielding each result as soon as it is known (in finishing order)."""
        if self.pending is None:
            self.start(submissions)
        pending, self.pending = self.pending, None
        assert pending is not None
        self.wait_ready()
        limit = self.setup.limits.submission_timeout + 120
        while pending or any(worker.task is not None for worker in self.workers):
            for worker in self.workers:
                self._dispatch(worker, pending)
            busy = [worker for worker in self.workers if worker.task is not None]
            readable, _, _ = select.select([worker.sock for worker in busy], [], [], 5)
            for worker in busy:
                assert worker.task is not None
                index, submission = worker.task
                if worker.sock in readable:
                    try:
                        message = recv_message(
                            worker.sock, max_bytes=MAX_MESSAGE, deadline=time.monotonic() + 60
                        )
                    except (ChannelClosed, ProtocolError, Timeout, OSError):
                        message = {"op": "died"}
                elif time.monotonic() - worker.started > limit:
                    message = {"op": "hung"}
                else:
                    continue
                worker.task = None
                if message.get("op") == "graded" and message.get("index") == index:
                    self._dispatch(
                        worker, pending
                    )  # its next submission first: the worker grades while we record
                    yield Graded(TraineeResult.model_validate_json(message["result"]), str(message["html"]))
                    continue
                reasons = {
                    "crashed": "the grader failed on this submission (an internal error; please report it)",
                    "hung": "the grading worker stopped responding",
                }
                op = str(message.get("op"))
                if op == "crashed":
                    print(
                        printable(
                            f"Grading {submission.trainee} failed inside the grader:\n{message.get('error')}"
                        ),
                        file=sys.stderr,
                    )
                else:
                    self._replace(worker)
                reason = reasons.get(op, "the grading worker process ended unexpectedly")
                yield failed_result(self.setup, submission, f"Not graded: {reason}.")

    def start(self, submissions: Sequence[Submission]) -> None:
        """Hand each worker its first submission now, without waiting for it to be ready; :meth:`grade` (with
        the same submissions) then yields the results."""
        self.setup  # noqa: B018  (the exercise must have been given)
        self.pending = list(enumerate(submissions))[::-1]
        for worker in self.workers:
            self._dispatch(worker, self.pending)

    @staticmethod
    def _dispatch(worker: _Worker, pending: list[tuple[int, Submission]]) -> None:
        """Send an idle worker the next submission, if any is left."""
        if worker.task is not None or not pending:
            return
        worker.task = pending.pop()
        worker.started = time.monotonic()
        index, submission = worker.task
        with contextlib.suppress(OSError):  # a dead worker is noticed when its answer is awaited
            send_message(worker.sock, {"op": "grade", "index": index, "submission": submission.to_json()})

    def release(self) -> None:
        """Tell every worker to finish (it closes its sandbox and ends), without waiting: :meth:`close` waits."""
        for worker in self.workers:
            if not worker.released:
                worker.released = True
                with contextlib.suppress(OSError):
                    send_message(worker.sock, {"op": "exit"})

    def close(self) -> None:
        self.release()
        deadline = time.monotonic() + 20
        for worker in self.workers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(max(0.1, deadline - time.monotonic()))
            self._stop(worker)
        self.workers = []
        with contextlib.suppress(OSError):
            self.folder.cleanup()

    def __enter__(self) -> GradingPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
