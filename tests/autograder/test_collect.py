"""Finding submissions in nbgrader's layout, from a folder or a ZIP, without trusting names or archives."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from autograder.collect import collect
from autograder.errors import GradingError
from tests.autograder.helpers import NOTEBOOK_NAME, answered, write_submission

EXERCISE = "admissions-rates"


def by_trainee(root: Path, scratch: Path) -> dict[str, object]:
    return {s.trainee: s for s in collect(root, EXERCISE, NOTEBOOK_NAME, scratch).submissions}


def test_folder_layout_with_odd_but_valid_names(tmp_path: Path) -> None:
    root = tmp_path / "submitted"
    write_submission(root, "alice", answered())
    write_submission(root, "siân", answered())
    write_submission(root, "zoë", answered(), name="my..notebook.ipynb")
    (root / ".ipynb_checkpoints").mkdir()
    found = by_trainee(tmp_path, tmp_path / "scratch")  # finds submitted/ itself
    assert set(found) == {"alice", "siân", "zoë"}
    assert found["zoë"].notebook.name == "my..notebook.ipynb"  # type: ignore[attr-defined]
    assert "not 'admissions-rates.ipynb'" in found["zoë"].notes[0]  # type: ignore[attr-defined]


def test_problems_belong_to_the_trainee(tmp_path: Path) -> None:
    root = tmp_path / "cohort"
    write_submission(root, "good", answered())
    (root / "no-exercise" / "other").mkdir(parents=True)
    (root / "docx" / EXERCISE).mkdir(parents=True)
    (root / "docx" / EXERCISE / "answers.docx").write_bytes(b"PK")
    write_submission(root, "two", answered(), name="a.ipynb")
    write_submission(root, "two", answered(), name="b.ipynb")
    (root / "linked").symlink_to(root / "good")
    found = by_trainee(root, tmp_path / "scratch")
    assert found["good"].problem == ""  # type: ignore[attr-defined]
    assert "no folder" in found["no-exercise"].problem  # type: ignore[attr-defined]
    assert "answers.docx" in found["docx"].problem  # type: ignore[attr-defined]
    assert "several notebooks" in found["two"].problem  # type: ignore[attr-defined]
    assert "symbolic link" in found["linked"].problem  # type: ignore[attr-defined]


def test_zip_entries_that_escape_or_link_are_skipped_and_reported(tmp_path: Path) -> None:
    archive = tmp_path / "cohort.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"alice/{EXERCISE}/{NOTEBOOK_NAME}", "{}")
        zf.writestr(f"../../{NOTEBOOK_NAME}", "{}")
        zf.writestr(f"bob/{EXERCISE}/../../../evil.ipynb", "{}")
        zf.writestr(f"/etc/{NOTEBOOK_NAME}", "{}")
        link = zipfile.ZipInfo(f"carol/{EXERCISE}/{NOTEBOOK_NAME}")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    scratch = tmp_path / "scratch"
    collected = collect(archive, EXERCISE, NOTEBOOK_NAME, scratch)
    assert {s.trainee for s in collected.submissions} == {"alice"}
    messages = {p.path: p.message for p in collected.problems}
    assert "leaves the archive" in messages[f"../../{NOTEBOOK_NAME}"]
    assert "leaves the archive" in messages[f"bob/{EXERCISE}/../../../evil.ipynb"]
    assert "leaves the archive" in messages[f"/etc/{NOTEBOOK_NAME}"]
    assert "symbolic links" in messages[f"carol/{EXERCISE}/{NOTEBOOK_NAME}"]
    assert not (tmp_path / NOTEBOOK_NAME).exists() and not (tmp_path / "evil.ipynb").exists()
    assert not any(p.is_symlink() for p in scratch.rglob("*"))


def test_a_zip_with_a_wrapping_folder(tmp_path: Path) -> None:
    archive = tmp_path / "cohort.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"export/submitted/alice/{EXERCISE}/{NOTEBOOK_NAME}", "{}")
    assert [s.trainee for s in collect(archive, EXERCISE, NOTEBOOK_NAME, tmp_path / "s").submissions] == [
        "alice"
    ]


@pytest.mark.parametrize("make", ["missing", "not-a-zip", "empty"])
def test_unusable_submissions_give_a_clear_error(tmp_path: Path, make: str) -> None:
    target = tmp_path / "subs"
    if make == "not-a-zip":
        target = tmp_path / "subs.zip"
        target.write_bytes(b"not a zip")
    elif make == "empty":
        target.mkdir()
    with pytest.raises(GradingError) as raised:
        collect(target, EXERCISE, NOTEBOOK_NAME, tmp_path / "scratch")
    assert str(target) in str(raised.value)
