"""`make bench`: every benchmark of the project in one run, each printing its own figures."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "bench_site.py",
    "bench_sql.py",
    "bench_data.py",
    "bench_grading.py",
    "bench_cluster.py",
    "bench_install.py",
]


def main() -> None:
    sys.path.insert(0, str(HERE.parent))
    for name in BENCHMARKS:
        print(f"\n=== {name} ===", flush=True)
        runpy.run_path(str(HERE / name), run_name="__main__")


if __name__ == "__main__":
    main()
