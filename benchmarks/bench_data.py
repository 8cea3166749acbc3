"""Benchmark of the synthetic data generator (not a test: it takes minutes and prints figures).

Run ``.venv/bin/python benchmarks/bench_data.py`` (add ``--scales medium`` to skip the large scale). Each scale
runs in a child process that generates every data set in CSV and Parquet into a temporary directory and reports
its time per data set and its own peak memory (``resource.getrusage`` maximum resident set size), so the scales
do not share memory. Goals: medium under 15 s; large under 3 minutes within 4 GiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS_SECONDS = {"medium": 15.0, "large": 180.0}
MEMORY_LIMIT_GIB = 4.0


def child(scale: str) -> None:
    """Generate one scale and print a JSON report on stdout."""
    from college.data import Format, generate

    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=f"bench-{scale}-") as directory:
        started = time.perf_counter()
        generated = generate(
            Path(directory), scale=scale, formats=(Format.CSV, Format.PARQUET), timings=timings
        )
        total = time.perf_counter() - started
        size = sum(path.stat().st_size for path in Path(directory).rglob("*") if path.is_file())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kibibytes on Linux
    report = {
        "scale": scale,
        "total_seconds": total,
        "peak_rss_gib": peak_kib / 1024**2,
        "bytes_written": size,
        "rows": generated.manifest.rows,
        "seconds": timings,
    }
    print(json.dumps(report))


def run(scale: str) -> dict[str, object]:
    """Run one scale in a child process and return its report."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--child", scale], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"the {scale} scale failed:\n{result.stderr}")
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = time.perf_counter() - started
    return report


def show(report: dict[str, object]) -> None:
    scale = str(report["scale"])
    rows: dict[str, int] = report["rows"]  # type: ignore[assignment]
    seconds: dict[str, float] = report["seconds"]  # type: ignore[assignment]
    print(f"\n{scale} scale")
    print(f"  {'data set':30} {'rows':>12} {'seconds':>9} {'rows per second':>16}")
    for name, count in rows.items():
        if name in seconds:
            spent = seconds[name]
            rate = f"{count / spent:,.0f}" if spent > 0 else "-"
            print(f"  {name:30} {count:>12,} {spent:>9.2f} {rate:>16}")
    total = float(report["total_seconds"])  # type: ignore[arg-type]
    peak = float(report["peak_rss_gib"])  # type: ignore[arg-type]
    goal = GOALS_SECONDS.get(scale)
    verdict = "" if goal is None else (" (goal met)" if total <= goal else f" (goal {goal:.0f} s MISSED)")
    print(f"  total generation time: {total:.1f} s{verdict}; with interpreter start-up: "
          f"{float(report['wall_seconds']):.1f} s")  # type: ignore[arg-type]  # fmt: skip
    memory = " (within 4 GiB)" if peak <= MEMORY_LIMIT_GIB else " (OVER 4 GiB)"
    print(f"  peak memory (max RSS of the child process): {peak:.2f} GiB{memory}")
    print(f"  written: {int(report['bytes_written']) / 1024**2:,.0f} MiB of CSV and Parquet")  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", nargs="+", default=["medium", "large"], choices=["small", "medium", "large"]
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return
    for scale in arguments.scales:
        show(run(scale))


if __name__ == "__main__":
    main()
