"""Grading on a Dask distributed cluster (``--scheduler``), against a real local cluster the test starts itself:
a ``dask scheduler`` and two ``dask worker`` processes on loopback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from autograder.cohort import CohortResult, grade_cohort
from autograder.errors import GradingError
from autograder.models import Status, TraineeResult
from autograder.sandbox.launcher import WEAK_ISOLATION_WARNING
from autograder.sandbox.limits import Limits
from tests.autograder.dask_cluster import DaskCluster
from tests.autograder.helpers import (
    COLLEGE,
    DATA_DIR,
    answered,
    exercise,
    expected_rows,
    grade_args,
    gradebook_rows,
    released,
    with_extra_cell,
    write_submission,
)
from tests.autograder.postgres import PostgresServer, free_port
from tests.autograder.test_resume import gradebook_scores, make_cohort

LIMITS = Limits(cell_timeout=10, submission_timeout=60, memory_mb=256)


def grade_on(scheduler: str, submissions: Path, out: Path, **options: Any) -> CohortResult:
    """The fixture exercise's cohort graded on a Dask scheduler, with these tests' limits and the fixture data
    (unless ``data_dir`` says otherwise)."""
    options.setdefault("data_dir", DATA_DIR)
    return grade_cohort(exercise(), submissions, out=out, limits=LIMITS, scheduler=scheduler, **options)


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskCluster]:
    started = DaskCluster.start(workers=2)
    try:
        yield started
    finally:
        started.stop()


def mixed_cohort(root: Path, size: int, pause: float = 0.0) -> dict[str, float]:
    """Right, blank and wrong answers and an unreadable file; each notebook pausing ``pause`` seconds."""
    expected: dict[str, float] = {}
    for number in range(size):
        trainee = f"trainee-{number:02d}"
        kind = number % 4
        if kind == 3:
            write_submission(root, trainee, "{ not a notebook")
            expected[trainee] = 0.0
            continue
        notebook = (answered(), released(), answered(dict(exercise().wrong_answers)))[kind]
        if pause:
            notebook = with_extra_cell(notebook, f"import time\ntime.sleep({pause})")
        write_submission(root, trainee, notebook)
        expected[trainee] = 5.0 if kind == 0 else 0.0
    return expected


def comparable(result: TraineeResult) -> dict:
    return result.model_dump(exclude={"times"})


def test_the_cluster_grades_as_the_local_pool_does_with_data_it_was_sent(
    cluster: DaskCluster, tmp_path: Path
) -> None:
    submissions = tmp_path / "submitted"
    expected = mixed_cohort(submissions, 8)
    local = grade_cohort(
        exercise(), submissions, out=tmp_path / "local", data_dir=DATA_DIR, workers=2, limits=LIMITS
    )
    data_copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_copy)

    def data_sent(to_grade: int, kept: int) -> None:
        """The workers hold the exercise now: take the tutor's data away, as if they did not share this disk."""
        assert (to_grade, kept) == (8, 0)
        shutil.rmtree(data_copy)

    remote = grade_on(cluster.address, submissions, tmp_path / "dask", data_dir=data_copy, on_start=data_sent)
    assert not data_copy.exists()
    assert {r.trainee: r.score for r in remote.results} == expected
    assert [comparable(r) for r in remote.results] == [comparable(r) for r in local.results]
    assert remote.isolation == local.isolation and remote.isolation_warning is None
    assert remote.result("trainee-03").status is Status.INVALID_SUBMISSION
    for name in ("grades.csv", "competencies.csv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()
    assert gradebook_rows(remote.gradebook_url) == expected_rows(8)


def test_weaker_isolation_on_the_workers_says_so_loudly(cluster: DaskCluster, tmp_path: Path) -> None:
    write_submission(tmp_path / "submitted", "alice", answered())
    cohort = grade_on(cluster.address, tmp_path / "submitted", tmp_path / "out", isolation="none")
    assert cohort.result("alice").score == 5
    assert cohort.isolation_warning == WEAK_ISOLATION_WARNING and "namespaces" not in cohort.isolation


NO_BUBBLEWRAP = (
    "import autograder.sandbox.launcher as launcher\n"
    "launcher._bwrap = lambda: None  # this machine has no bubblewrap\n"
)


def test_a_worker_machine_without_bubblewrap_is_refused_or_loudly_weaker(tmp_path: Path) -> None:
    """Every Python process of the worker (the grading worker it starts too) runs this ``sitecustomize``."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(NO_BUBBLEWRAP, encoding="utf-8")
    write_submission(tmp_path / "submitted", "alice", answered())
    bare = DaskCluster.start(workers=1, worker_env={"PYTHONPATH": str(hook)})
    try:
        with pytest.raises(GradingError, match=r"could not start grading.*bubblewrap"):
            grade_on(bare.address, tmp_path / "submitted", tmp_path / "refused", isolation="namespaces")
        cohort = grade_on(bare.address, tmp_path / "submitted", tmp_path / "weaker")
    finally:
        bare.stop()
    assert cohort.result("alice").score == 5
    assert cohort.isolation_warning == WEAK_ISOLATION_WARNING


def test_local_grading_does_not_import_dask(tmp_path: Path) -> None:
    write_submission(tmp_path / "submitted", "alice", answered())
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from autograder.cohort import grade_cohort\n"
        "from autograder.sandbox.limits import Limits\n"
        "from tests.autograder.helpers import DATA_DIR, exercise\n"
        f"result = grade_cohort(exercise(), Path({str(tmp_path / 'submitted')!r}), out=Path({str(tmp_path / 'out')!r}),"
        " data_dir=DATA_DIR, workers=1, limits=Limits(cell_timeout=10, submission_timeout=60, memory_mb=256))\n"
        "assert result.result('alice').score == 5, result\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('dask', 'distributed')))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.strip() == "[]"


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path: Path) -> None:
    write_submission(tmp_path / "submitted", "alice", answered())
    address = f"tcp://127.0.0.1:{free_port()}"
    completed = subprocess.run(
        [COLLEGE, *grade_args(tmp_path / "submitted", tmp_path / "out", "--scheduler", address)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith(f"{address}: cannot reach the Dask scheduler")
    assert "Traceback" not in completed.stdout + completed.stderr


def test_a_worker_killed_mid_cohort_loses_no_grade(cluster: DaskCluster, tmp_path: Path) -> None:
    submissions = tmp_path / "submitted"
    expected = mixed_cohort(submissions, 8, pause=0.6)
    victim = cluster.workers[0]
    children: list[psutil.Process] = []
    recorded: list[str] = []

    def kill_after_the_first(result: TraineeResult) -> None:
        recorded.append(result.trainee)
        if len(recorded) == 1:
            children.extend(psutil.Process(victim.pid).children(recursive=True))
            os.kill(victim.pid, signal.SIGKILL)

    try:
        cohort = grade_on(cluster.address, submissions, tmp_path / "out", on_result=kill_after_the_first)
    finally:
        victim.wait()
        cluster.add_worker()  # for any later test
    assert children, "the killed worker held a grading worker"
    assert sorted(recorded) == sorted(expected)  # each trainee recorded once
    assert {r.trainee: r.score for r in cohort.results} == expected
    assert all(r.status in (Status.GRADED, Status.INVALID_SUBMISSION) for r in cohort.results)
    assert gradebook_rows(cohort.gradebook_url) == expected_rows(8)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(child.is_running() for child in children):
        time.sleep(0.1)
    assert not any(child.is_running() and child.status() != psutil.STATUS_ZOMBIE for child in children)
    cluster.wait_for_workers(2)


@pytest.mark.slow
def test_the_scheduler_killed_mid_cohort_keeps_what_was_recorded_and_the_rerun_finishes(
    tmp_path: Path,
) -> None:
    submissions, out = tmp_path / "submitted", tmp_path / "out"
    expected = make_cohort(submissions, 8, pause=1.0)  # readable notebooks: each one done is kept
    first = DaskCluster.start(workers=2)
    command = [COLLEGE, *grade_args(submissions, out)]
    try:
        grader = subprocess.Popen(
            [*command, "--scheduler", first.address],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        results = out / "results"
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(list(results.glob("*.json"))) < 2:
            time.sleep(0.05)
        os.kill(first.scheduler.pid, signal.SIGKILL)
        stdout, stderr = grader.communicate(timeout=180)
    finally:
        first.stop()
    assert grader.returncode == 1, stdout[-2000:] + stderr[-2000:]
    message = stderr.strip().splitlines()
    assert len(message) == 1 and "lost the Dask scheduler part-way" in message[0], stderr
    done = {path.stem: path.stat().st_mtime_ns for path in results.glob("*.json")}
    assert 2 <= len(done) < 8
    assert gradebook_rows(f"sqlite:///{out / 'gradebook.db'}") == expected_rows(len(done))

    second = DaskCluster.start(workers=2)
    try:
        rerun = subprocess.run(
            [*command, "--scheduler", second.address],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        second.stop()
    assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-2000:]
    assert f"kept {len(done)}" in rerun.stdout.replace("\n", " ")
    assert {
        path.stem: path.stat().st_mtime_ns for path in results.glob("*.json") if path.stem in done
    } == done
    assert gradebook_rows(f"sqlite:///{out / 'gradebook.db'}") == expected_rows(8)
    assert gradebook_scores(f"sqlite:///{out / 'gradebook.db'}") == expected


def test_without_the_scale_extra_the_command_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from autograder.record import GradebookWriter

    write_submission(tmp_path / "submitted", "alice", answered())
    for module in ("distributed", "autograder.cluster", "psycopg", "psycopg2"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it fails
    with pytest.raises(GradingError, match=r"Dask is not installed .*\[scale\]"):
        grade_on("tcp://127.0.0.1:8786", tmp_path / "submitted", tmp_path / "out")
    with pytest.raises(GradingError, match=r"driver is not installed .*\[scale\]"):
        GradebookWriter("postgresql://tutor@127.0.0.1:1/gradebook")


def test_the_cluster_and_a_postgresql_gradebook_together(
    cluster: DaskCluster, postgres: PostgresServer, tmp_path: Path
) -> None:
    """The scale-out set-up: submissions graded on the cluster, recorded by the client into PostgreSQL."""
    expected = mixed_cohort(tmp_path / "submitted", 4)
    url = postgres.new_database()
    cohort = grade_on(cluster.address, tmp_path / "submitted", tmp_path / "out", gradebook_url=url)
    assert {r.trainee: r.score for r in cohort.results} == expected
    assert gradebook_scores(url) == expected
    assert gradebook_rows(url) == expected_rows(4)
