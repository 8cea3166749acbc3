"""A real browser (Debian's Chromium, driven by Playwright through pytest-playwright) against the built site served
on this machine.

pytest-playwright gives the ``browser`` and ``new_context`` fixtures; contexts made with ``new_context`` keep a
trace and a screenshot of a failing test in ``test-artifacts/playwright/`` (options in pyproject.toml). Its own
browser download cannot work here, so the launch arguments point it at Debian's Chromium."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, BuiltSite

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    yield from serve(built_site.folder)


@pytest.fixture(scope="session")
def zensical_url(zensical_site: BuiltSite) -> Iterator[str]:
    """The Zensical build, served like the MkDocs one, for the same checks."""
    yield from serve(zensical_site.folder)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """pytest-playwright's launch options, with Debian's Chromium and the flags that keep it offline."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's chromium is missing at {CHROMIUM}: run `make test-deps` (apt-get install chromium)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does this)")
    return AXE.read_text(encoding="utf-8")


def html_pages(folder: Path) -> list[str]:
    """Every page of the built site, as a URL path ("" for the home page)."""
    pages = []
    for path in sorted(folder.rglob("index.html")):
        relative = path.parent.relative_to(folder).as_posix()
        pages.append("" if relative == "." else relative + "/")
    return pages
