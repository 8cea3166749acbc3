"""SQL runner benchmark: what the first visit to the SQL module costs, and how fast its queries answer.

Builds the site, serves it on this machine and opens the SQL module's page in Debian's headless Chromium (a fresh
profile each run, so nothing is cached): bytes transferred, time from the page's load event to the first query's
result, and each later query's time in the engine (every SQL block of the page run in turn).
"""

from __future__ import annotations

import functools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGE = "analysts/04-sql-for-analysts/"
RUNS = 3
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build(folder: Path) -> None:
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "--quiet", "--site-dir", str(folder)],
        check=True,
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
    )


def visit(browser, url: str) -> tuple[int, float, list[int]]:  # type: ignore[no-untyped-def]
    """One first visit: bytes transferred, seconds from load to the first result, later queries' milliseconds."""
    context = browser.new_context()
    page = context.new_page()
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body()) if response.ok else 0))
    page.goto(url + PAGE, wait_until="load")
    loaded = time.perf_counter()
    first = page.locator(".college-sql[data-query='1']")
    first.get_by_role("button", name="Run query 1").click()
    first.locator("table").wait_for(timeout=30_000)
    first_seconds = time.perf_counter() - loaded
    later = []
    for number in range(2, page.locator(".college-sql").count() + 1):
        box = page.locator(f".college-sql[data-query='{number}']")
        box.get_by_role("button", name=f"Run query {number}").click()
        box.locator("[role=status][data-result=ran]").wait_for(timeout=30_000)
        later.append(int(box.get_attribute("data-milliseconds") or "0"))
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes), first_seconds, later


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        assets = {path.name: path.stat().st_size for path in (site / "assets" / "sql").iterdir()}
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            visits = [visit(browser, url) for _ in range(RUNS)]
            browser.close()
        server.shutdown()
    later = [ms for _, _, times in visits for ms in times]
    print(f"SQL runners ({PAGE}, {RUNS} first visits, headless Chromium):")
    for name, size in sorted(assets.items()):
        print(f"  {name:24} {size / 1e6:6.2f} MB")
    print(f"  first load transferred:  {statistics.median(v[0] for v in visits) / 1e6:6.2f} MB (median)")
    print(f"  first query after load:  {statistics.median(v[1] for v in visits) * 1000:6.0f} ms (median)")
    print(
        f"  later queries:           {statistics.median(later):6.0f} ms median, {max(later)} ms max ({len(later)})"
    )
    print(
        "  per query (ms, query 2 on):",
        " ".join(str(max(v[2][i] for v in visits)) for i in range(len(visits[0][2]))),
    )


if __name__ == "__main__":
    main()
