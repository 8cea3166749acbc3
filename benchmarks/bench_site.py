"""Site benchmark: build time with and without the generated pages, page count, and `college check` time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUNS = 3


def timed_build(config: Path, site_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "--quiet", "--config-file", str(config), "--site-dir", str(site_dir)],
        check=True,
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
    )
    return time.perf_counter() - start


def authored_only_config(folder: Path) -> Path:
    """The same site without the hook: only the authored Markdown, as MkDocs finds it on disk."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks")
    config["strict"] = False  # authored pages link to generated ones, which are absent here by design
    config["docs_dir"] = str(REPO / "courses")
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    config.pop("validation", None)
    config.pop("watch", None)  # relative to the repository, not to this temporary config
    path = folder / "mkdocs-authored-only.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def main() -> None:
    from college.checking import check

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        full = [timed_build(REPO / "mkdocs.yml", work / "full") for _ in range(RUNS)]
        pages = sum(1 for _ in (work / "full").rglob("index.html"))
        plain_config = authored_only_config(work)
        plain = [timed_build(plain_config, work / "plain") for _ in range(RUNS)]
        plain_pages = sum(1 for _ in (work / "plain").rglob("index.html"))
    checks = []
    for _ in range(5):
        start = time.perf_counter()
        result = check(REPO)
        checks.append(time.perf_counter() - start)
    full_median, plain_median = statistics.median(full), statistics.median(plain)
    print("Site (median of 3 builds each, `mkdocs build`):")
    print(f"  with generated pages:    {full_median:6.2f} s  ({pages} pages)")
    print(f"  without generated pages: {plain_median:6.2f} s  ({plain_pages} pages)")
    print(f"  ratio:                   {full_median / plain_median:6.2f} ×")
    errors = sum(problem.severity.value == "error" for problem in result.problems)
    warnings = len(result.problems) - errors
    median_ms = statistics.median(checks) * 1000
    print(f"`college check` (median of 5): {median_ms:.0f} ms ({errors} errors, {warnings} warnings)")


if __name__ == "__main__":
    main()
