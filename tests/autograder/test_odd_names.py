"""One odd name or archive entry is that trainee's (or that entry's) problem: the cohort is still graded, on every
rerun, and the tutor is told about names that look alike or are hidden."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from autograder.cohort import grade_cohort
from autograder.collect import collect
from autograder.models import Status
from autograder.names import file_stem, look_alike_groups
from autograder.sandbox.limits import Limits
from autograder.scratch import ScratchFolder, sweep
from tests.autograder.helpers import DATA_DIR, NOTEBOOK_NAME, answered, exercise, write_submission

EXERCISE = "admissions-rates"
LIMITS = Limits(cell_timeout=20, submission_timeout=60)
GOOD = json.dumps(answered())


@pytest.mark.parametrize(
    "trainee",
    ["é" * 120, "李" * 100, "CON", "aux.txt", "trailing.", "name with spaces ", "e\u0301clair", "a:b*c?"],
    ids=["long-accented", "long-cjk", "windows-con", "windows-aux", "trailing-dot", "trailing-space",
         "decomposed-unicode", "windows-forbidden"],
)  # fmt: skip
def test_any_valid_folder_name_gets_a_file_name_safe_everywhere(trainee: str) -> None:
    stem = file_stem(trainee)
    assert len((stem + ".html").encode()) <= 200
    assert not any(c in stem for c in '<>:"/\\|?*') and not stem.endswith((".", " "))
    assert stem.split(".")[0].lower() not in {"con", "aux"}
    assert file_stem(trainee) == stem and file_stem(trainee + "x") != stem


def test_ordinary_names_keep_their_file_names() -> None:
    for trainee in ("alice", "siân", "zoë", "student-042", "O'Brien"):
        assert file_stem(trainee) == trainee


def test_look_alike_ids_are_grouped() -> None:
    groups = look_alike_groups(["alice", "Alice", "аlice", "bob", "zo\u00eb", "zoe\u0308", "carol"])
    assert groups == [("Alice", "alice", "аlice"), ("zoe\u0308", "zo\u00eb")]


def test_a_cohort_with_every_kind_of_odd_name_is_graded(tmp_path: Path) -> None:
    root = tmp_path / "submitted"
    odd = ["é" * 120, "Alice", "alice", "CON"]
    for trainee in [*odd, "bob"]:
        write_submission(root, trainee, answered())
    (root / ".hidden" / EXERCISE).mkdir(parents=True)
    out = tmp_path / "out"
    for _ in range(2):  # and again, resuming
        result = grade_cohort(exercise(), root, out=out, data_dir=DATA_DIR, workers=1, limits=LIMITS)
        assert {r.trainee: r.status for r in result.results} == dict.fromkeys([*odd, "bob"], Status.GRADED)
    messages = " ".join(p.message for p in result.problems)
    assert "'Alice', 'alice'" in messages and "look-alike" in messages
    assert "starts with a dot" in messages
    assert len(list((out / "feedback").glob("*.html"))) == 5


def archive_of(tmp_path: Path, entries: list[tuple[str | bytes, bytes]], utf8_flag: bool = False) -> Path:
    archive = tmp_path / "cohort.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in entries:
            if isinstance(name, bytes):
                zf.writestr("Q" * len(name), data)  # an ASCII stand-in of the same length, replaced below
            else:
                zf.writestr(name, data)
    if utf8_flag:  # give the placeholder entries their raw, invalid UTF-8 names with the UTF-8 flag set
        raw = bytearray(archive.read_bytes())
        for name, _ in entries:
            if isinstance(name, bytes):
                placeholder = b"Q" * len(name)
                start = 0
                while (found := raw.find(placeholder, start)) >= 0:
                    raw[found : found + len(placeholder)] = name
                    start = found + 1
        archive.write_bytes(bytes(raw))
        with open(archive, "r+b") as handle:  # set bit 11 in every central directory entry
            data = bytearray(handle.read())
            position = 0
            while (position := data.find(b"PK\x01\x02", position)) >= 0:
                flags = int.from_bytes(data[position + 8 : position + 10], "little") | 0x800
                data[position + 8 : position + 10] = flags.to_bytes(2, "little")
                position += 4
            handle.seek(0)
            handle.write(data)
    return archive


def graded_from(archive: Path, tmp_path: Path) -> tuple[set[str], dict[str, str]]:
    """The trainees that can be graded, and every problem's messages by path (joined, as one path may have
    several)."""
    collected = collect(archive, EXERCISE, NOTEBOOK_NAME, tmp_path / "scratch", max_notebook_bytes=1_000_000)
    usable = {s.trainee for s in collected.submissions if not s.problem}
    messages: dict[str, str] = {}
    for problem in collected.problems:
        messages[problem.path] = (messages.get(problem.path, "") + " " + problem.message).strip()
    return usable, messages


def test_a_file_and_a_folder_of_the_same_name(tmp_path: Path) -> None:
    archive = archive_of(
        tmp_path,
        [("alice.ipynb", b"{}"), (f"alice.ipynb/{EXERCISE}/{NOTEBOOK_NAME}", GOOD.encode()),
         (f"bob/{EXERCISE}/{NOTEBOOK_NAME}", GOOD.encode())],
    )  # fmt: skip
    usable, messages = graded_from(archive, tmp_path)
    assert "bob" in usable
    assert any("skipped" in m for p, m in messages.items() if p.startswith("alice.ipynb"))


def test_an_entry_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    long_name = f"{'x' * 300}/{EXERCISE}/{NOTEBOOK_NAME}"
    archive = archive_of(
        tmp_path, [(long_name, GOOD.encode()), (f"bob/{EXERCISE}/{NOTEBOOK_NAME}", GOOD.encode())]
    )
    usable, messages = graded_from(archive, tmp_path)
    assert usable == {"bob"} and "skipped" in messages[long_name]


def test_an_entry_name_that_claims_utf8_and_is_not(tmp_path: Path) -> None:
    archive = archive_of(
        tmp_path,
        [(f"bob/{EXERCISE}/{NOTEBOOK_NAME}", GOOD.encode()), (b"\xff\xfe-mallory/x.ipynb", GOOD.encode())],
        utf8_flag=True,
    )
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(archive)  # what Python's zipfile does with it
    usable, messages = graded_from(archive, tmp_path)
    assert "bob" in usable
    assert any("claim UTF-8" in m for m in messages.values())


def test_duplicate_entries_and_other_files_are_reported_and_sizes_capped(tmp_path: Path) -> None:
    entry = f"bob/{EXERCISE}/{NOTEBOOK_NAME}"
    archive = tmp_path / "cohort.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(entry, GOOD)
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr(entry, "{}")
        zf.writestr(f"carol/{EXERCISE}/{NOTEBOOK_NAME}", b"0" * 5_000_000)  # compresses to a few kB
        zf.writestr(f"dave/{EXERCISE}/big.csv", b"0" * 5_000_000)
    usable, messages = graded_from(archive, tmp_path)
    assert "bob" in usable
    assert json.loads((tmp_path / "scratch" / "unpacked" / entry).read_text()) == json.loads(
        GOOD
    )  # the first
    assert "same name" in messages[entry]
    assert "larger than a notebook" in messages[f"carol/{EXERCISE}/{NOTEBOOK_NAME}"]
    assert "not notebooks were not unpacked" in messages["cohort.zip"]
    assert not (tmp_path / "scratch" / "unpacked" / "dave" / EXERCISE / "big.csv").exists()


def test_a_killed_graders_scratch_folder_is_swept_by_the_next(tmp_path: Path) -> None:
    prefix = "college-test-sweep-"
    child = subprocess.run(
        [sys.executable, "-c", f"from autograder.scratch import ScratchFolder; import os; "
         f"f = ScratchFolder({prefix!r}); os.makedirs(f.name + '/a/b'); os.chmod(f.name + '/a', 0); "
         "print(f.name); os._exit(9)"],
        capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    left = Path(child.stdout.strip())
    assert left.is_dir()  # the process died without cleaning up
    with ScratchFolder(prefix) as mine:
        assert not left.exists()
        assert Path(mine).is_dir() and str(os.getpid()) in Path(mine).name
    assert not Path(mine).exists()
    assert sweep(prefix, Path(tempfile.gettempdir())) == []


@pytest.mark.parametrize("case", ["missing", "vanishes", "locked-inside"])
def test_removing_a_scratch_folder_never_touches_its_parent(tmp_path: Path, case: str) -> None:
    """The scratch folder's parent is the system's temporary folder: its mode must never change."""
    from autograder.scratch import _remove

    parent = tmp_path / "parent"
    parent.mkdir()
    parent.chmod(0o1777)
    folder = parent / "college-grading-1-x"
    if case != "missing":
        (folder / "a" / "b").mkdir(parents=True)
    if case == "locked-inside":
        (folder / "a").chmod(0)
    if case == "vanishes":
        folder.rename(parent / "gone")
    _remove(folder)
    assert parent.stat().st_mode & 0o7777 == 0o1777
    assert not folder.exists()
