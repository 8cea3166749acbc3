"""One hostile cohort, graded once per test session and shared by the tests that look at its trainees."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.cohort import CohortResult, grade_cohort
from autograder.sandbox.limits import Limits
from tests.autograder import hostile
from tests.autograder.helpers import DATA_DIR, exercise
from tests.autograder.postgres import PostgresServer

HOSTILE_LIMITS = Limits(cell_timeout=6, submission_timeout=60, memory_mb=256, processes=24)


BACKENDS = ("sqlite", "postgresql")
"""The gradebook tests run against each: a SQLite file and a real PostgreSQL server started for the session."""


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server (started only if a test asks for it; fails, never skips, if missing)."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


def new_gradebook_url(request: pytest.FixtureRequest, backend: str, folder: Path) -> str:
    """A URL of an empty gradebook: a new SQLite file in ``folder`` or a new database on the test server."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'gradebook.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture(params=BACKENDS)
def gradebook_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_gradebook_url(request, request.param, tmp_path)


@dataclass(frozen=True)
class GradedCohort:
    result: CohortResult
    submissions: Path
    out: Path
    connections: list[bytes]
    """What the network listener received (it must stay empty)."""


@pytest.fixture(scope="session")
def hostile_cohort(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GradedCohort]:
    base = tmp_path_factory.mktemp("hostile")
    submissions = base / "submitted"
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            received.append(connection.recv(1000) or b"(connected)")
            connection.close()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    hostile.write_cohort(submissions, port=server.getsockname()[1], gradebook=base / "out" / "gradebook.db")
    try:
        result = grade_cohort(
            exercise(), submissions, out=base / "out", data_dir=DATA_DIR, workers=2, limits=HOSTILE_LIMITS
        )
    finally:
        stop.set()
        thread.join()
        server.close()
    yield GradedCohort(result, submissions, base / "out", received)


def nbformat3(notebook: dict) -> str:
    return json.dumps(nbformat.convert(nbformat.from_dict(notebook), 3))
