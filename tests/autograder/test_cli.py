"""The commands: thin layers that print tables and turn errors into messages naming the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

from college.cli import app
from tests.autograder.helpers import (
    DATA_DIR,
    EXERCISE_DIR,
    NOTEBOOK_NAME,
    answered,
    grade_args,
    released,
    write_submission,
)

runner = CliRunner()


def test_grade_prints_a_summary_and_writes_the_files(tmp_path: Path) -> None:
    submissions = tmp_path / "submitted"
    write_submission(submissions, "alice", answered())
    write_submission(submissions, "blank", released())
    (submissions / "stray.txt").write_text("not a trainee", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, grade_args(submissions, out, "--workers", "2"))
    assert result.exit_code == 0, result.output
    assert "alice" in result.output and "5 / 5" in result.output and "0 / 5" in result.output
    assert "stray.txt" in result.output and "not a trainee folder" in result.output
    assert (out / "grades.csv").is_file() and (out / "feedback" / "blank.html").is_file()


def test_grade_with_a_bad_exercise_or_submissions_names_them(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["grade", "no-such-exercise", str(tmp_path), "--root", str(tmp_path)])
    assert (
        missing.exit_code == 1 and "no-such-exercise" in missing.output and "Traceback" not in missing.output
    )
    empty = runner.invoke(
        app, ["grade", str(EXERCISE_DIR), str(tmp_path / "nothing"), "--data", str(DATA_DIR)]
    )
    assert empty.exit_code == 1 and "nothing" in empty.output and "Traceback" not in empty.output
    no_data = runner.invoke(
        app, ["grade", str(EXERCISE_DIR), str(tmp_path), "--data", str(tmp_path / "none")]
    )
    assert no_data.exit_code == 1 and "admissions.csv" in no_data.output


def test_exercise_build_then_check(tmp_path: Path) -> None:
    built = runner.invoke(
        app, ["exercise", "build", str(EXERCISE_DIR), "--out", str(tmp_path), "--data", str(DATA_DIR)]
    )
    assert built.exit_code == 0, built.output
    with zipfile.ZipFile(tmp_path / "admissions-rates.zip") as zf:
        zf.extractall(tmp_path)
    notebook = tmp_path / "admissions-rates" / NOTEBOOK_NAME
    checked = runner.invoke(app, ["exercise", "check", str(notebook)])
    assert checked.exit_code == 1
    assert (
        "(total_rate)" in checked.output
        and "not yet" in checked.output
        and "No grade was recorded" in checked.output
    )
    broken = tmp_path / "broken.ipynb"
    broken.write_text("[]", encoding="utf-8")
    bad = runner.invoke(app, ["exercise", "check", str(broken)])
    assert bad.exit_code == 1 and "broken.ipynb" in bad.output and "Traceback" not in bad.output
