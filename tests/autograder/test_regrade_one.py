"""``--trainee``: regrade one trainee without touching the others."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest

from tests.autograder.helpers import answered, released, write_submission
from tests.autograder.test_resume import grade_command


def _scores(out: Path) -> dict[str, float]:
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        totals: dict[str, float] = {}
        for row in csv.DictReader(handle):
            totals[row["trainee"]] = totals.get(row["trainee"], 0.0) + float(row["score"])
        return totals


@pytest.mark.slow
def test_trainee_regrades_that_trainee_only(tmp_path: Path) -> None:
    submissions, out = tmp_path / "submitted", tmp_path / "out"
    write_submission(submissions, "amir", answered())
    write_submission(submissions, "bea", released())
    first = subprocess.run(grade_command(submissions, out), capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    assert _scores(out) == {"amir": 5.0, "bea": 0.0}
    kept = (out / "results" / "amir.json").stat().st_mtime_ns
    write_submission(submissions, "bea", answered())  # bea resubmits; so does amir, with a blank
    write_submission(submissions, "amir", released())
    again = subprocess.run(
        grade_command(submissions, out, "--trainee", "bea"), capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert _scores(out) == {"amir": 5.0, "bea": 5.0}  # amir's earlier result is kept as it was
    assert (out / "results" / "amir.json").stat().st_mtime_ns == kept
    unknown = subprocess.run(
        grade_command(submissions, out, "--trainee", "nobody"), capture_output=True, text=True, timeout=300
    )
    assert unknown.returncode == 1 and "no submission from nobody" in unknown.stderr
