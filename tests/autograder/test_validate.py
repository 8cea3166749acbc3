"""Reading a submitted file as a notebook, or saying why it is not one."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.validate import InvalidNotebook, read_notebook
from tests.autograder.helpers import EXERCISE_DIR, NOTEBOOK_NAME, answered

LIMIT = 20_000_000


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "n.ipynb"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"{ not json", "not valid notebook JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not text"),
        (b"[1, 2]", "not a notebook"),
        (b'{"nbformat": 2, "cells": []}', "unsupported notebook format"),
        (b'{"nbformat": 4, "cells": [{"cell_type": "code", "source": 7}]}', "cell 1 is malformed"),
        (b'{"nbformat": 4, "cells": [{"source": ""}]}', "cell 1 is malformed"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_broken_files_get_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(InvalidNotebook, match=reason):
        read_notebook(write(tmp_path, data), LIMIT)


def test_too_large_and_symlinked_files_are_refused(tmp_path: Path) -> None:
    big = write(tmp_path, b" " * 2_000)
    with pytest.raises(InvalidNotebook, match="over the"):
        read_notebook(big, 1_000)
    link = tmp_path / "link.ipynb"
    link.symlink_to(EXERCISE_DIR / NOTEBOOK_NAME)
    with pytest.raises(InvalidNotebook, match="symbolic link"):
        read_notebook(link, LIMIT)


def test_nbformat_3_is_upgraded_with_a_note(tmp_path: Path) -> None:
    old = nbformat.convert(nbformat.from_dict(answered()), 3)
    path = write(tmp_path, json.dumps(old).encode())
    notebook = read_notebook(path, LIMIT)
    assert "nbformat 3" in notebook.notes[0]
    assert "total_rate" in {cell.grade_id for cell in notebook.cells}


def test_a_good_notebook_keeps_sources_and_grade_ids(tmp_path: Path) -> None:
    notebook = read_notebook(write(tmp_path, json.dumps(answered()).encode()), LIMIT)
    assert [c.grade_id for c in notebook.cells if c.grade_id] == [
        "setup",
        "total_rate",
        "test_total_rate",
        "rate_function",
        "test_rate_function",
        "monthly",
        "test_monthly",
    ]
    assert len(notebook.sha256) == 64
