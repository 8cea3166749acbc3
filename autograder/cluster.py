"""Grade on an existing Dask distributed cluster: ``college grade ... --scheduler tcp://HOST:PORT``.

The tutor's command is the Dask client. It sends every worker the exercise once, as a worker plugin holding the
spec, the limits and the data files' bytes (so workers need not share the tutor's disk), then one task per
submission holding that submission's notebook bytes. Each Dask worker keeps, per thread, one
:class:`~autograder.pool.GradingPool` of one sandboxed grading worker, exactly as the local pool runs it, so
trainee code runs only inside the sandbox on the worker. Results come back as plain data as tasks finish, and
the client alone records them (gradebook, result files): a lost worker loses no grade, since Dask gives its
unfinished tasks to another worker and nothing was written for them.

Only imported when ``--scheduler`` is given: the local pool needs neither Dask nor this module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import queue
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from distributed import Client, WorkerPlugin, as_completed, get_worker
from distributed.client import FutureCancelledError
from distributed.scheduler import KilledWorker

from autograder.collect import Submission
from autograder.errors import GradingError
from autograder.grader import Graded, GraderSetup
from autograder.models import TraineeResult
from autograder.pool import GradingPool, failed_result
from autograder.validate import InvalidNotebook, read_bytes_safely

CONNECT_SECONDS = 10.0
WORKERS_SECONDS = 60.0
WINDOW = 16
"""At least this many submissions are in the cluster at once (twice its threads if more)."""


class ExercisePlugin(WorkerPlugin):
    """Lives on each Dask worker for one cohort: the exercise, its data, and the worker's grading pools."""

    def __init__(self, name: str, setup: dict[str, Any], data: dict[str, bytes]) -> None:
        self.name = name
        self.setup_json = setup
        self.data = data
        self.folder: Path | None = None
        self.pools: list[GradingPool] = []

    def setup(self, worker: Any) -> None:
        """Write the exercise's data into a folder of this worker's own and start one grading pool per thread
        (in the worker's main thread, which outlives them: a pool's process ends with the thread that made it).
        """
        # inside the worker's own scratch space, which Dask clears of dead workers' folders
        self.folder = Path(tempfile.mkdtemp(prefix="college-exercise-", dir=worker.local_directory))
        data_folder = self.folder / "data"
        data_folder.mkdir()
        for name, content in self.data.items():
            (data_folder / name).write_bytes(content)
        base = GraderSetup.from_json(self.setup_json)
        spec = dataclasses.replace(
            base.spec, data_files=tuple(data_folder / path.name for path in base.spec.data_files)
        )
        here = dataclasses.replace(base, spec=spec)
        # made here, not in __init__: the plugin travels pickled, and a queue cannot be
        self.idle: queue.SimpleQueue[GradingPool] = queue.SimpleQueue()
        try:
            self.pools = [GradingPool(here, 1) for _ in range(max(1, worker.state.nthreads))]
            for pool in self.pools:
                pool.wait_ready()
                self.idle.put(pool)
        except BaseException:
            self.teardown(worker)
            raise

    def grade(
        self, trainee: str, relative: str, problem: str, notes: list[str], notebook: bytes | None
    ) -> dict:
        assert self.folder is not None
        pool = self.idle.get()
        try:
            path = None
            if notebook is not None:
                path = self.folder / f"submission-{uuid.uuid4().hex}.ipynb"
                path.write_bytes(notebook)
            submission = Submission(trainee, path, relative, problem, tuple(notes))
            try:
                (graded,) = pool.grade([submission])  # the pool's own handling of a lost grading worker
            finally:
                if path is not None:
                    path.unlink(missing_ok=True)
            return {
                "result": graded.result.model_dump_json(),
                "html": graded.feedback_html,
                "isolation": pool.isolation,
                "weak": pool.weak,
            }
        finally:
            self.idle.put(pool)

    def teardown(self, worker: Any) -> None:
        for pool in self.pools:
            pool.close()
        self.pools = []
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def grade_on_worker(
    plugin: str, trainee: str, relative: str, problem: str, notes: list[str], notebook: bytes | None
) -> dict:
    """The task Dask runs: grade one submission with this worker's pool for the cohort's exercise."""
    found = get_worker().plugins.get(plugin)
    if not isinstance(found, ExercisePlugin):
        raise RuntimeError("this Dask worker has not been given the exercise (it joined part-way?)")
    return found.grade(trainee, relative, problem, notes, notebook)


def _notebook_bytes(submission: Submission, max_bytes: int) -> tuple[bytes | None, str]:
    """What to send for one submission: the notebook's bytes, or the reason it cannot be read (as locally)."""
    if submission.notebook is None:
        return None, submission.problem
    try:
        return read_bytes_safely(submission.notebook, max_bytes), submission.problem
    except InvalidNotebook as invalid:
        return None, str(invalid)


class _Quiet:
    """Dask's client logs to stderr (a lost connection as a traceback): silence it while a pool is open, and
    put the levels back when it closes."""

    LOGGERS = (
        "distributed",
        "distributed.client",
        "distributed.batched",
        "distributed.core",
        "distributed.comm",
    )

    def __init__(self) -> None:
        self.levels = {name: logging.getLogger(name).level for name in self.LOGGERS}
        for name in self.LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)

    def restore(self) -> None:
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)
        self.levels = {}


class DaskGradingPool:
    """The local pool's interface (:meth:`grade`, ``isolation``, ``weak``, :meth:`close`) over a Dask cluster."""

    def __init__(self, setup: GraderSetup, scheduler: str) -> None:
        self.setup = setup
        self.scheduler = scheduler
        self.isolation = ""
        self.weak = False
        self.name = f"college-exercise-{uuid.uuid4().hex[:12]}"
        self.client: Client | None = None
        self._quiet = (
            _Quiet()
        )  # the command says what went wrong in one line; Dask's log would add a traceback
        try:
            self.client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            self.close()
            raise GradingError(
                scheduler, f"cannot reach the Dask scheduler ({type(error).__name__}: {error})"
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except (OSError, TimeoutError) as error:
            self.close()
            raise GradingError(scheduler, f"the Dask cluster has no workers ({error})") from None
        data = {path.name: path.read_bytes() for path in setup.spec.data_files}
        try:
            self.client.register_plugin(ExercisePlugin(self.name, setup.to_json(), data), name=self.name)
        except Exception as error:
            self.close()
            raise GradingError(
                scheduler, f"a Dask worker could not start grading ({type(error).__name__}: {error})"
            ) from None

    def wait_ready(self) -> None:
        """Every worker started its pools while the plugin was registered."""

    def grade(self, submissions: Sequence[Submission]) -> Iterator[Graded]:
        """Send every submission to the cluster; yield each result as soon as it comes back."""
        assert self.client is not None
        client = self.client
        max_bytes = self.setup.limits.notebook_mb * 1_000_000
        by_key: dict[str, Submission] = {}
        waiting = iter(enumerate(submissions))
        finished = as_completed([], loop=client.loop)  # this client's loop, not a default client's

        def send_next() -> None:
            """Send one more submission (its bytes travel in the task, so only a window of them is in the
            scheduler's memory at once)."""
            for index, submission in waiting:
                notebook, problem = _notebook_bytes(submission, max_bytes)
                key = f"{self.name}-{index}"
                by_key[key] = submission
                finished.add(
                    client.submit(
                        grade_on_worker,
                        self.name,
                        submission.trainee,
                        submission.relative,
                        problem,
                        list(submission.notes),
                        notebook,
                        key=key,
                        pure=False,
                    )
                )
                return

        threads = sum(int(w.get("nthreads", 1)) for w in client.scheduler_info()["workers"].values())
        for _ in range(max(WINDOW, 2 * threads)):
            send_next()
        for future in finished:
            submission = by_key.pop(str(future.key), None)
            if submission is None:
                continue  # already yielded: never record a trainee twice
            send_next()  # keep the cluster busy while this result is recorded
            try:
                reply = future.result()
            except KilledWorker:
                yield failed_result(
                    self.setup,
                    submission,
                    "Not graded: every Dask worker that tried this submission ended unexpectedly.",
                )
                continue
            except (FutureCancelledError, OSError) as error:
                raise GradingError(
                    self.scheduler,
                    f"lost the Dask scheduler part-way ({type(error).__name__}); every result received was "
                    "recorded: run the same command again to grade the rest",
                ) from None
            except Exception as error:
                raise GradingError(
                    self.scheduler, f"a Dask worker failed grading {submission.trainee} ({error})"
                ) from None
            finally:
                future.release()  # a worker lost later need not recompute what is already here
            self.isolation = str(reply["isolation"])
            self.weak = self.weak or bool(reply["weak"])
            yield Graded(TraineeResult.model_validate_json(reply["result"]), str(reply["html"]))

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.unregister_worker_plugin(self.name)
            with contextlib.suppress(Exception):
                self.client.close(timeout=10)
            self.client = None
        self._quiet.restore()

    def __enter__(self) -> DaskGradingPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
