"""Step 1, collect: find each trainee's notebook in nbgrader's layout, ``<trainee>/<exercise>/<notebook>.ipynb``.

The submissions may be a folder (as ``nbgrader collect`` or ``zip_collect`` leave it) or a ZIP of one. ZIPs are
unpacked defensively: no entry may leave the target folder, symbolic links are not created, and sizes are capped.
Anything odd about one trainee becomes that trainee's ``invalid_submission`` reason; anything that belongs to no
trainee becomes a cohort problem. Nothing here raises for bad submissions.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from autograder.errors import GradingError
from autograder.models import CohortProblem

MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_TRAINEE_ID = 128
"""nbgrader's gradebook keeps student ids in 128 characters."""
IGNORED = frozenset({"__MACOSX", ".ipynb_checkpoints", ".DS_Store"})


@dataclass(frozen=True)
class Submission:
    trainee: str
    notebook: Path | None
    relative: str
    """The notebook's path relative to the submissions folder, for messages."""
    problem: str = ""
    """Why this cannot be graded ('' when it can be tried)."""
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        notebook = str(self.notebook) if self.notebook is not None else None
        return {
            "trainee": self.trainee,
            "notebook": notebook,
            "relative": self.relative,
            "problem": self.problem,
            "notes": list(self.notes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Submission:
        notebook = data.get("notebook")
        return cls(
            str(data["trainee"]),
            Path(notebook) if notebook else None,
            str(data["relative"]),
            str(data.get("problem", "")),
            tuple(data.get("notes", ())),
        )


@dataclass(frozen=True)
class Collected:
    root: Path
    submissions: tuple[Submission, ...]
    problems: tuple[CohortProblem, ...]


def _safe_member_path(name: str) -> PurePosixPath | None:
    """The entry's path inside the archive, or None if it is absolute or climbs out with '..'."""
    cleaned = name.replace("\\", "/")
    path = PurePosixPath(cleaned)
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        return None
    if any(part == ".." for part in path.parts) or not path.parts:
        return None
    return path


def extract_zip(archive: Path, target: Path) -> tuple[CohortProblem, ...]:
    """Unpack ``archive`` into ``target`` safely; entries that are unsafe are skipped and reported."""
    problems: list[CohortProblem] = []
    total = 0
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise GradingError(archive, f"not a readable ZIP archive ({error})") from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ENTRIES:
            raise GradingError(
                archive, f"the archive has {len(members):,} entries; the limit is {MAX_ENTRIES:,}"
            )
        for member in members:
            path = _safe_member_path(member.filename)
            if path is None:
                problems.append(
                    CohortProblem(
                        path=member.filename, message="skipped: the entry's path leaves the archive"
                    )
                )
                continue
            mode = member.external_attr >> 16
            if stat.S_ISLNK(mode):
                problems.append(
                    CohortProblem(path=member.filename, message="skipped: symbolic links are not unpacked")
                )
                continue
            if member.is_dir() or path.parts[0] in IGNORED:
                continue
            if member.file_size > MAX_ENTRY_BYTES or total + member.file_size > MAX_TOTAL_BYTES:
                problems.append(
                    CohortProblem(path=member.filename, message="skipped: the entry is too large")
                )
                continue
            destination = target.joinpath(*path.parts)
            if target.resolve() not in destination.resolve().parents:
                problems.append(
                    CohortProblem(
                        path=member.filename, message="skipped: the entry's path leaves the archive"
                    )
                )
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with zf.open(member) as source, destination.open("wb") as sink:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > member.file_size or written > MAX_ENTRY_BYTES:
                            raise ValueError("the entry is larger than the archive says")
                        sink.write(chunk)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as error:
                destination.unlink(missing_ok=True)
                problems.append(CohortProblem(path=member.filename, message=f"skipped: {error}"))
                continue
            total += written
    return tuple(problems)


def _layout_root(folder: Path, exercise_id: str) -> Path:
    """The folder whose children are trainee folders: the folder itself, ``submitted/``, or a single wrapper."""
    candidate = folder
    for _ in range(3):
        children = [
            p for p in candidate.iterdir() if p.is_dir() and not p.is_symlink() and p.name not in IGNORED
        ]
        if any((child / exercise_id).is_dir() for child in children):
            return candidate
        if (candidate / "submitted").is_dir():
            candidate = candidate / "submitted"
        elif len(children) == 1:
            candidate = children[0]
        else:
            break
    return folder


def _trainee_submission(folder: Path, root: Path, exercise_id: str, notebook_name: str) -> Submission:
    trainee = folder.name
    where = f"{trainee}/{exercise_id}"
    if len(trainee) > MAX_TRAINEE_ID:
        return Submission(
            trainee[:MAX_TRAINEE_ID],
            None,
            trainee,
            f"the trainee folder's name is longer than {MAX_TRAINEE_ID} characters",
        )
    if folder.is_symlink():
        return Submission(
            trainee, None, trainee, "the trainee's folder is a symbolic link, which is not accepted"
        )
    exercise_folder = folder / exercise_id
    if exercise_folder.is_symlink():
        return Submission(trainee, None, where, f"'{where}' is a symbolic link, which is not accepted")
    if not exercise_folder.is_dir():
        found = sorted(p.name for p in folder.iterdir())[:5]
        return Submission(
            trainee, None, trainee, f"there is no folder '{where}' (found: {', '.join(found) or 'nothing'})"
        )
    entries = sorted(p for p in exercise_folder.iterdir() if p.name not in IGNORED)
    notebooks = [p for p in entries if p.suffix == ".ipynb"]
    exact = [p for p in notebooks if p.name == notebook_name]
    chosen = exact[0] if exact else (notebooks[0] if len(notebooks) == 1 else None)
    if chosen is None:
        if notebooks:
            names = ", ".join(p.name for p in notebooks[:5])
            return Submission(
                trainee, None, where, f"several notebooks ({names}) and none is named '{notebook_name}'"
            )
        names = ", ".join(p.name for p in entries[:5]) or "nothing"
        return Submission(trainee, None, where, f"no notebook (.ipynb) in '{where}' (found: {names})")
    notes = (
        ()
        if exact
        else (f"Your notebook is named '{chosen.name}', not '{notebook_name}'; it was graded anyway.",)
    )
    return Submission(trainee, chosen, str(chosen.relative_to(root)), "", notes)


def collect(submissions: Path, exercise_id: str, notebook_name: str, scratch: Path) -> Collected:
    """Every trainee's submission under ``submissions`` (a folder, or a ZIP unpacked into ``scratch``)."""
    problems: tuple[CohortProblem, ...] = ()
    if not submissions.exists():
        raise GradingError(submissions, "the submissions folder or ZIP does not exist")
    if submissions.is_file():
        target = scratch / "unpacked"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        problems = extract_zip(submissions, target)
        folder = target
    elif submissions.is_dir():
        folder = submissions
    else:
        raise GradingError(submissions, "neither a folder nor a ZIP file")
    root = _layout_root(folder, exercise_id)
    found: list[Submission] = []
    extra: list[CohortProblem] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(".") or entry.name in IGNORED:
            continue
        if not entry.is_dir() and not entry.is_symlink():
            extra.append(CohortProblem(path=entry.name, message="ignored: not a trainee folder"))
            continue
        found.append(_trainee_submission(entry, root, exercise_id, notebook_name))
    if not found:
        raise GradingError(
            submissions, f"no trainee folders found (expected <trainee>/{exercise_id}/{notebook_name})"
        )
    return Collected(root=root, submissions=tuple(found), problems=problems + tuple(extra))
