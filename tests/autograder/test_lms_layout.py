"""Moodle's and Canvas's download layouts become nbgrader's, mapped to trainee ids; nothing unmatched is graded."""

from __future__ import annotations

import csv
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder.collect import collect
from autograder.lms import Person
from autograder.lms_layout import from_lms_download
from tests.autograder.helpers import NOTEBOOK_NAME, answered, released
from tests.autograder.test_resume import grade_command

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
ROSTER = {
    "alovelace": Person("alovelace", first_name="Ada", last_name="Lovelace", canvas_id="101"),
    "bbrown": Person("bbrown", first_name="Bob", last_name="Brown", canvas_id="102"),
}


def _write(root: Path, names: list[str]) -> Path:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(NOTEBOOK if name.endswith(".ipynb") else b"notes")
    return root


def test_a_moodle_download_in_folders_is_mapped_by_name(tmp_path: Path) -> None:
    download = _write(
        tmp_path / "download",
        [
            "Ada Lovelace_1234_assignsubmission_file_/ps_1.ipynb",
            "Ada Lovelace_1234_assignsubmission_file_/notes.txt",
            "bob  BROWN_1235_assignsubmission_file_/ps_1.ipynb",
            "Carol Stranger_1236_assignsubmission_file_/ps_1.ipynb",
        ],
    )
    done = from_lms_download(download, "ps_1", tmp_path / "scratch", 10_000, ROSTER)
    laid_out, problems = done.folder, done.problems
    assert done.lms == "moodle"
    assert done.origins == {
        "alovelace": "Ada Lovelace_1234_assignsubmission_file_",
        "bbrown": "bob  BROWN_1235_assignsubmission_file_",
    }
    collected = collect(laid_out, "ps_1", "ps_1.ipynb", tmp_path / "scratch2")
    assert [(s.trainee, s.notebook.name if s.notebook else None) for s in collected.submissions] == [
        ("alovelace", "ps_1.ipynb"),
        ("bbrown", "ps_1.ipynb"),
    ]
    assert [p.path for p in problems] == ["Carol Stranger_1236_assignsubmission_file_/ps_1.ipynb"]
    assert "no trainee in the roster" in problems[0].message


def test_a_canvas_zip_is_mapped_by_user_id_with_late_and_resubmitted_files(tmp_path: Path) -> None:
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("lovelaceada_101_9001_ps_1.ipynb", NOTEBOOK)
        handle.writestr("brownbob_LATE_102_9002_ps_1-2.ipynb", NOTEBOOK)
        handle.writestr("strangercarol_103_9003_ps_1.ipynb", NOTEBOOK)
    done = from_lms_download(archive, "ps_1", tmp_path / "scratch", 10_000, ROSTER)
    laid_out, problems = done.folder, done.problems
    assert done.origins == {"alovelace": "lovelaceada_101_9001_", "bbrown": "brownbob_LATE_102_9002_"}
    assert sorted(p.relative_to(laid_out).as_posix() for p in laid_out.rglob("*.ipynb")) == [
        "alovelace/ps_1/ps_1.ipynb",
        "bbrown/ps_1/ps_1.ipynb",
    ]
    assert [p.path for p in problems] == ["strangercarol_103_9003_ps_1.ipynb"]


def test_without_a_roster_the_name_in_the_file_is_the_id(tmp_path: Path) -> None:
    download = _write(tmp_path / "download", ["Ada Lovelace_1234_assignsubmission_file_ps_1.ipynb"])
    done = from_lms_download(download, "ps_1", tmp_path / "scratch", 10_000)
    assert done.problems == ()
    assert done.origins == {"ada-lovelace": "Ada Lovelace_1234_assignsubmission_file_"}
    assert (done.folder / "ada-lovelace" / "ps_1" / "ps_1.ipynb").is_file()


def test_an_nbgrader_layout_is_left_as_it_is(tmp_path: Path) -> None:
    folder = _write(tmp_path / "submitted", ["bitdiddle/ps_1/ps_1.ipynb"])
    done = from_lms_download(folder, "ps_1", tmp_path / "scratch", 10_000)
    assert (done.folder, done.problems, done.lms) == (folder, (), "")


@pytest.mark.slow
def test_a_moodle_download_is_graded_and_its_feedback_named_for_moodle(tmp_path: Path) -> None:
    download = tmp_path / "download"
    for prefix, notebook in (
        ("Ada Lovelace_1234_assignsubmission_file_", answered()),
        ("Carol Stranger_1236_assignsubmission_file_", released()),
    ):
        folder = download / prefix
        folder.mkdir(parents=True)
        (folder / NOTEBOOK_NAME).write_text(json.dumps(notebook), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("trainee,first_name,last_name,email\nalovelace,Ada,Lovelace,ada@example.nhs.uk\n")
    out = tmp_path / "out"
    done = subprocess.run(
        grade_command(download, out, "--roster", str(roster)), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Carol Stranger_1236_assignsubmission_file_" in done.stdout and "not graded" in done.stdout
    with (out / "moodle-grades.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["Email address"], list(row.values())[-1]) for row in rows] == [("ada@example.nhs.uk", "5")]
    with zipfile.ZipFile(out / "moodle-feedback.zip") as archive:
        assert archive.namelist() == [
            "Ada Lovelace_1234_assignsubmission_file_feedback-admissions-rates.html"
        ]
    with zipfile.ZipFile(out / "feedback.zip") as archive:
        assert archive.namelist() == ["alovelace/admissions-rates/admissions-rates.html"]
