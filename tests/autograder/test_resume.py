"""Grades are never lost: kill -9 part-way and run again; two graders on one gradebook at once.

Each test runs against a SQLite gradebook and against a real PostgreSQL server the suite starts itself.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from autograder.record import integrity_ok
from tests.autograder.conftest import BACKENDS, new_gradebook_url
from tests.autograder.helpers import (
    COLLEGE,
    GRADER_PROCESSES,
    answered,
    expected_rows,
    grade_args,
    gradebook_rows,
    processes_matching,
    released,
    with_extra_cell,
    write_submission,
)


def make_cohort(root: Path, size: int, pause: float) -> dict[str, float]:
    """``size`` trainees, alternately right and blank, each notebook pausing ``pause`` seconds."""
    expected: dict[str, float] = {}
    for number in range(size):
        trainee = f"trainee-{number:02d}"
        notebook = answered() if number % 2 == 0 else released()
        write_submission(root, trainee, with_extra_cell(notebook, f"import time\ntime.sleep({pause})"))
        expected[trainee] = 5.0 if number % 2 == 0 else 0.0
    return expected


def grade_command(submissions: Path, out: Path, *extra: str) -> list[str]:
    return [COLLEGE, *grade_args(submissions, out, "--workers", "1", "--timeout", "20", *extra)]


def rows(out: Path) -> list[dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def gradebook_scores(url: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    gradebook = Gradebook(url)
    try:
        return {s.student.id: s.score for s in gradebook.assignment_submissions("admissions-rates")}
    finally:
        gradebook.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_then_rerun_finishes_without_regrading_or_duplicates(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    submissions, out = tmp_path / "submitted", tmp_path / "out"
    expected = make_cohort(submissions, 8, pause=0.5)
    if backend == "sqlite":  # the default gradebook, in --out
        url, extra = f"sqlite:///{out / 'gradebook.db'}", ()
    else:
        url = new_gradebook_url(request, backend, tmp_path)
        extra = ("--gradebook", url)
    grader = subprocess.Popen(
        grade_command(submissions, out, *extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results = out / "results"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(results.glob("*.json"))) < 2:
        time.sleep(0.05)
    os.kill(grader.pid, signal.SIGKILL)
    grader.wait()
    done = {path.stem: path.stat().st_mtime_ns for path in results.glob("*.json")}
    assert 2 <= len(done) < 8, "the grader was killed part-way through"
    time.sleep(1)
    assert processes_matching(*GRADER_PROCESSES) == []

    rerun = subprocess.run(
        grade_command(submissions, out, *extra), capture_output=True, text=True, timeout=600, check=False
    )
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    assert f"kept {len(done)}" in rerun.stdout.replace("\n", " ")
    assert {
        path.stem: path.stat().st_mtime_ns for path in results.glob("*.json") if path.stem in done
    } == done
    graded = rows(out)
    assert len(graded) == 24 and len({(r["trainee"], r["question"]) for r in graded}) == 24
    totals: dict[str, float] = {}
    for row in graded:
        totals[row["trainee"]] = totals.get(row["trainee"], 0.0) + float(row["score"])
    assert totals == expected
    assert gradebook_scores(url) == expected and integrity_ok(url)
    assert gradebook_rows(url) == expected_rows(8)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_graders_create_and_share_one_gradebook(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    """Both start on an empty gradebook at the same moment: the schema is created once, by one of them."""
    submissions = tmp_path / "submitted"
    expected = make_cohort(submissions, 4, pause=0.1)
    url = new_gradebook_url(request, backend, tmp_path)
    graders = [
        subprocess.Popen(
            grade_command(submissions, tmp_path / name, "--gradebook", url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for grader in graders:
        stdout, stderr = grader.communicate(timeout=600)
        assert grader.returncode == 0, stdout[-3000:] + stderr[-3000:]
    assert integrity_ok(url)
    assert gradebook_scores(url) == expected
    assert gradebook_rows(url) == expected_rows(4)
    for name in ("first", "second"):
        assert len(rows(tmp_path / name)) == 12
