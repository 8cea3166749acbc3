"""The self-documenting Makefile: `make help` lists every target a developer needs."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import REPO


def test_make_help_lists_every_target() -> None:
    output = subprocess.run(["make", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for target in ("serve", "test", "check", "build", "build-zensical", "bench", "lint", "help"):
        assert f"make {target} " in output, output


def test_ci_runs_exactly_make_test() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "\nmake test\n" in script


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("port", ["8000", "chosen"])
def test_make_serve_on_a_busy_port_says_so_in_one_line_at_once(port: str) -> None:
    with socket.socket() as busy:
        try:
            busy.bind(("127.0.0.1", 8000 if port == "8000" else 0))
        except OSError:
            pytest.skip("port 8000 is in use by something else on this machine")
        busy.listen()
        number = busy.getsockname()[1]
        arguments = [] if port == "8000" else [f"PORT={number}"]
        started = time.monotonic()
        completed = subprocess.run(
            ["make", "--no-print-directory", "serve", *arguments], cwd=REPO, capture_output=True, text=True
        )
    assert completed.returncode != 0
    assert time.monotonic() - started < 10
    ours = [line for line in completed.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(ours) == 1, completed.stderr
    assert f"Port {number} " in ours[0] and "make serve PORT=" in ours[0]
    assert "Traceback" not in completed.stdout + completed.stderr


def test_make_serve_serves_on_the_port_it_is_given() -> None:
    port = free_port()
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        page = ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(1)
        assert "Open College" in page, (
            server.stderr.read().decode() if server.poll() is not None else "no page"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
