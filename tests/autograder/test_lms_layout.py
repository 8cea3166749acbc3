"""Moodle's and Canvas's download layouts become nbgrader's, mapped to trainee ids; nothing unmatched is graded."""

from __future__ import annotations

import zipfile
from pathlib import Path

from autograder.collect import collect
from autograder.lms import Person
from autograder.lms_layout import from_lms_download

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
    laid_out, problems = from_lms_download(download, "ps_1", tmp_path / "scratch", 10_000, ROSTER)
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
    laid_out, problems = from_lms_download(archive, "ps_1", tmp_path / "scratch", 10_000, ROSTER)
    assert sorted(p.relative_to(laid_out).as_posix() for p in laid_out.rglob("*.ipynb")) == [
        "alovelace/ps_1/ps_1.ipynb",
        "bbrown/ps_1/ps_1.ipynb",
    ]
    assert [p.path for p in problems] == ["strangercarol_103_9003_ps_1.ipynb"]


def test_without_a_roster_the_name_in_the_file_is_the_id(tmp_path: Path) -> None:
    download = _write(tmp_path / "download", ["Ada Lovelace_1234_assignsubmission_file_ps_1.ipynb"])
    laid_out, problems = from_lms_download(download, "ps_1", tmp_path / "scratch", 10_000)
    assert problems == ()
    assert (laid_out / "ada-lovelace" / "ps_1" / "ps_1.ipynb").is_file()


def test_an_nbgrader_layout_is_left_as_it_is(tmp_path: Path) -> None:
    folder = _write(tmp_path / "submitted", ["bitdiddle/ps_1/ps_1.ipynb"])
    assert from_lms_download(folder, "ps_1", tmp_path / "scratch", 10_000) == (folder, ())
