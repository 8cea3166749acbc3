"""Step 1, collect: find each trainee's notebook in nbgrader's layout, ``<trainee>/<exercise>/<notebook>.ipynb``.

The submissions may be a folder (as ``nbgrader collect`` or ``zip_collect`` leave it) or a ZIP of one. ZIPs are
unpacked defensively: no entry may leave the target folder, symbolic links are not created, and sizes are capped.
Anything odd about one trainee becomes that trainee's ``invalid_submission`` reason; anything that belongs to no
trainee becomes a cohort problem. Nothing here raises for bad submissions.
"""

from __future__ import annotations

import contextlib
import shutil
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from autograder.errors import GradingError
from autograder.models import CohortProblem
from autograder.names import look_alike_groups

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


def _clear_false_utf8_flags(archive: Path, copy: Path) -> bool:
    """Write to ``copy`` the archive with the UTF-8 flag cleared on entries whose names claim UTF-8 and are not
    (Python's zipfile refuses the whole archive for one such name). False if nothing needed clearing or the
    archive's directory cannot be read this way (then zipfile's own error stands)."""
    data = bytearray(archive.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(data):
        return False
    count, size, offset = struct.unpack_from("<HII", data, end + 10)
    if offset == 0xFFFFFFFF or offset + size > len(data):
        return False
    changed = False
    position = offset
    for _ in range(count):
        if data[position : position + 4] != b"PK\x01\x02":
            return False
        flags, name_length, extra_length, comment_length = struct.unpack_from("<H", data, position + 8) + (
            struct.unpack_from("<HHH", data, position + 28)
        )
        name = bytes(data[position + 46 : position + 46 + name_length])
        if flags & 0x800:
            try:
                name.decode("utf-8")
            except UnicodeDecodeError:
                struct.pack_into("<H", data, position + 8, flags & ~0x800)
                changed = True
        position += 46 + name_length + extra_length + comment_length
    if changed:
        copy.write_bytes(bytes(data))
    return changed


def _open_zip(archive: Path, scratch: Path) -> tuple[zipfile.ZipFile, tuple[CohortProblem, ...]]:
    try:
        return zipfile.ZipFile(archive), ()
    except UnicodeDecodeError:
        repaired = scratch / "repaired.zip"
        if _clear_false_utf8_flags(archive, repaired):
            try:
                problem = CohortProblem(
                    path=archive.name,
                    message="some entry names claim UTF-8 and are not: they are shown as read in the old "
                    "ZIP encoding (cp437); check the trainees they belong to",
                )
                return zipfile.ZipFile(repaired), (problem,)
            except (zipfile.BadZipFile, OSError, UnicodeDecodeError):
                pass
        raise GradingError(archive, "an entry name in the archive claims UTF-8 and is not") from None
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise GradingError(archive, f"not a readable ZIP archive ({error})") from None


def extract_zip(
    archive: Path, target: Path, max_entry_bytes: int = MAX_ENTRY_BYTES
) -> tuple[CohortProblem, ...]:
    """Unpack the notebooks in ``archive`` into ``target`` safely. Only ``.ipynb`` entries are written (grading
    needs nothing else), none larger than a notebook may be; unsafe, duplicate or unwritable entries are skipped
    and reported, one problem each, and nothing about one entry stops the others."""
    zf, problems_found = _open_zip(archive, target.parent)
    problems: list[CohortProblem] = list(problems_found)
    total = 0
    seen: set[str] = set()
    other_files = 0
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
            if member.is_dir() or any(part in IGNORED for part in path.parts):
                continue
            if path.suffix != ".ipynb":
                other_files += 1
                continue
            key = path.as_posix()
            if key in seen:
                problems.append(
                    CohortProblem(
                        path=member.filename,
                        message="skipped: a second entry of the same name (the first was kept)",
                    )
                )
                continue
            seen.add(key)
            if member.file_size > max_entry_bytes or total + member.file_size > MAX_TOTAL_BYTES:
                problems.append(
                    CohortProblem(
                        path=member.filename, message="skipped: the entry is larger than a notebook may be"
                    )
                )
                continue
            written = 0
            destination = target.joinpath(*path.parts)
            try:
                if target.resolve() not in destination.resolve().parents:
                    problems.append(
                        CohortProblem(
                            path=member.filename, message="skipped: the entry's path leaves the archive"
                        )
                    )
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as source, destination.open("xb") as sink:
                    while chunk := source.read(1 << 20):
                        written += len(chunk)
                        if written > member.file_size or written > max_entry_bytes:
                            raise ValueError("the entry is larger than the archive says")
                        sink.write(chunk)
            except FileExistsError:
                problems.append(
                    CohortProblem(
                        path=member.filename, message="skipped: another entry already has this name"
                    )
                )
                continue
            except (
                zipfile.BadZipFile,
                ValueError,
                OSError,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as error:
                with contextlib.suppress(OSError):
                    if destination.is_file():
                        destination.unlink()
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                problems.append(CohortProblem(path=member.filename, message=f"skipped: {reason}"))
                continue
            total += written
    if other_files:
        problems.append(
            CohortProblem(
                path=archive.name, message=f"{other_files} entries that are not notebooks were not unpacked"
            )
        )
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


def collect(
    submissions: Path,
    exercise_id: str,
    notebook_name: str,
    scratch: Path,
    max_notebook_bytes: int = MAX_ENTRY_BYTES,
) -> Collected:
    """Every trainee's submission under ``submissions`` (a folder, or a ZIP unpacked into ``scratch``)."""
    problems: tuple[CohortProblem, ...] = ()
    if not submissions.exists():
        raise GradingError(submissions, "the submissions folder or ZIP does not exist")
    if submissions.is_file():
        target = scratch / "unpacked"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        problems = extract_zip(submissions, target, max_notebook_bytes)
        folder = target
    elif submissions.is_dir():
        folder = submissions
    else:
        raise GradingError(submissions, "neither a folder nor a ZIP file")
    root = _layout_root(folder, exercise_id)
    found: list[Submission] = []
    extra: list[CohortProblem] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name in IGNORED:
            continue
        if entry.name.startswith("."):
            extra.append(
                CohortProblem(
                    path=entry.name, message="ignored: a hidden folder or file (its name starts with a dot)"
                )
            )
            continue
        if not entry.is_dir() and not entry.is_symlink():
            extra.append(CohortProblem(path=entry.name, message="ignored: not a trainee folder"))
            continue
        found.append(_trainee_submission(entry, root, exercise_id, notebook_name))
    if not found:
        raise GradingError(
            submissions, f"no trainee folders found (expected <trainee>/{exercise_id}/{notebook_name})"
        )
    for group in look_alike_groups(submission.trainee for submission in found):
        names = ", ".join(f"'{name}'" for name in group)
        extra.append(
            CohortProblem(
                path=group[0],
                message=f"trainee ids {names} differ only in case, accents, Unicode form or look-alike letters: "
                "check they are different people (their files would collide on macOS and Windows)",
            )
        )
    return Collected(root=root, submissions=tuple(found), problems=problems + tuple(extra))
