"""Step 2, validate: read a submitted file as a notebook, or say plainly why it is not one.

Only the cells' types, sources and nbgrader ids are kept; the trainee's own outputs (which may be huge) are
dropped, since grading runs everything afresh. nbformat 3 notebooks are upgraded with nbformat's converter.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.cellsource import cell_text


class InvalidNotebook(Exception):
    """The file cannot be graded; the message is the reason given to the trainee."""


@dataclass(frozen=True)
class TraineeCell:
    index: int
    cell_type: str
    source: str
    grade_id: str | None


@dataclass(frozen=True)
class TraineeNotebook:
    cells: tuple[TraineeCell, ...]
    sha256: str
    notes: tuple[str, ...] = ()


def read_bytes_safely(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing symbolic links, non-files and files over ``max_bytes``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if path.is_symlink():
            raise InvalidNotebook("the notebook is a symbolic link, which is not accepted") from None
        raise InvalidNotebook(f"the notebook cannot be opened ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InvalidNotebook("the notebook is not a regular file")
        if info.st_size == 0:
            raise InvalidNotebook("the notebook file is empty")
        if info.st_size > max_bytes:
            raise InvalidNotebook(
                f"the notebook is {info.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                "(clear its outputs: Kernel > Restart & Clear Output, then save and resubmit)"
            )
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidNotebook(f"the notebook is over the {max_bytes / 1e6:.0f} MB limit")
    return data


def _parse(data: bytes) -> tuple[dict[str, Any], tuple[str, ...]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidNotebook("the file is not text (UTF-8), so it is not a Jupyter notebook") from None
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidNotebook(
            f"the file is not valid notebook JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise InvalidNotebook("the file's JSON is nested too deeply to be a notebook") from None
    if not isinstance(notebook, dict):
        raise InvalidNotebook("the file is JSON but not a notebook (no top-level object)")
    major = notebook.get("nbformat")
    if major == 4:
        return notebook, ()
    if major == 3:
        import nbformat  # slow to import (its JSON schema checker), and needed only for old notebooks

        try:
            upgraded = nbformat.convert(nbformat.from_dict(notebook), 4)
        except Exception as error:  # nbformat raises many kinds on malformed v3 input
            raise InvalidNotebook(f"an nbformat 3 notebook that could not be upgraded ({error})") from None
        note = "Your notebook was in the old nbformat 3 format; it was upgraded to nbformat 4 for grading."
        return dict(upgraded), (note,)
    raise InvalidNotebook(
        f"unsupported notebook format (nbformat {major!r}); save it with Jupyter 4 or later"
    )


MAX_CELLS = 5_000
"""Most cells a submitted notebook may have. Each cell becomes a record in the results and the feedback, however
little text it holds: 300,000 empty cells (15 MB) made a 50 MB result file. Exercises have tens of cells."""


def _cells(notebook: dict[str, Any]) -> tuple[TraineeCell, ...]:
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise InvalidNotebook("the notebook has no list of cells")
    if len(cells) > MAX_CELLS:
        raise InvalidNotebook(
            f"the notebook has {len(cells):,} cells, over the {MAX_CELLS:,}-cell limit (delete the cells you added)"
        )
    result: list[TraineeCell] = []
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise InvalidNotebook(f"cell {index + 1} is malformed (no valid 'cell_type')")
        try:
            source = cell_text(cell.get("source", ""))
        except ValueError:
            raise InvalidNotebook(f"cell {index + 1} is malformed (its source is not text)") from None
        metadata = cell.get("metadata")
        nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
        if is_generated_self_check(cell, source):
            continue  # the release's own self-check lines (formative): grading neither runs nor needs them
        result.append(
            TraineeCell(
                index, str(cell["cell_type"]), source, grade_id if isinstance(grade_id, str) else None
            )
        )
    return tuple(result)


_CHECK_LINE = re.compile(r'^\s*(?:check|hint)\(\s*(?:"[\w.-]*")?\s*\)\s*$')


def is_generated_self_check(cell: dict[str, Any], source: str) -> bool:
    """A set-up or ``check("...")`` cell as the release wrote it (and only then: if the trainee put code of
    their own in one, it runs like any of their cells)."""
    from college.selfcheck.questions import is_self_check_cell
    from college.selfcheck.release import SETUP_SOURCE

    if not is_self_check_cell(cell):
        return False
    lines = [line for line in source.strip().splitlines() if line.strip()]
    setup = [line for line in SETUP_SOURCE.splitlines() if line.strip()]
    return lines == setup or all(_CHECK_LINE.match(line) for line in lines)


def read_notebook(path: Path, max_bytes: int) -> TraineeNotebook:
    """The submitted notebook's cells, or :class:`InvalidNotebook` with a reason a trainee can act on."""
    data = read_bytes_safely(path, max_bytes)
    notebook, notes = _parse(data)
    return TraineeNotebook(_cells(notebook), hashlib.sha256(data).hexdigest(), notes)
