"""Benchmark: grade one cohort with the local pool and with a local Dask cluster of as many workers, in one run.

Not a test (it takes minutes). Run ``.venv/bin/python benchmarks/bench_cluster.py`` (``--submissions 100`` and
``--workers 2`` by default). It makes the same cohort as ``bench_grading.py`` and grades it, each time into a
fresh output folder, with ``college grade --workers N`` and with ``college grade --scheduler`` against a ``dask
scheduler`` and N ``dask worker`` processes (one thread each) started on loopback, alternately (``--rounds``,
best of each: the machine's other load falls on both), and prints both, the cost of
distribution, and from the measured cost per submission an estimate of the cluster that grades 5,000
submissions in 10 minutes. Goal: the cluster within 15 % of the local pool on one machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL = 0.15
TARGET_SUBMISSIONS, TARGET_SECONDS = 5000, 600


def college_grade(course: Path, folder: Path, data_dir: Path, out: Path, *extra: str) -> float:
    college = Path(sys.executable).parent / "college"
    started = time.perf_counter()
    completed = subprocess.run(
        [
            *(str(college), "grade", str(folder), str(course / "submitted")),
            "--out",
            str(out),
            "--data",
            str(data_dir),
            *extra,
        ],
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"college grade failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    return seconds


def stage_seconds(out: Path) -> tuple[float, float, int]:
    """Seconds spent grading (in workers) and recording (in the client), summed over results, and the count."""
    grading = recording = 0.0
    count = 0
    for path in (out / "results").glob("*.json"):
        times = json.loads(path.read_text(encoding="utf-8"))["times"]
        grading += sum(times[stage] for stage in ("reading", "execute", "tests", "feedback"))
        recording += times["record"]
        count += 1
    return grading, recording, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--exercise", default=None)
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="alternate local and Dask this many times; the best of each counts",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_grading import choose_exercise, make_cohort

    from college.curriculum import load_exercise
    from tests.autograder.dask_cluster import DaskCluster

    folder, data_dir = choose_exercise(args.exercise)
    exercise = load_exercise(folder)
    n, workers = args.submissions, args.workers
    print(f"Exercise {exercise.id}: {n} submissions, {os.cpu_count()} CPUs, {workers} workers either way")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as scratch:
        course = Path(scratch) / "course"
        make_cohort(course, exercise, data_dir, n)
        started = time.perf_counter()
        cluster = DaskCluster.start(workers=workers)
        print(
            f"(Dask cluster of {workers} workers started in {time.perf_counter() - started:.1f} s, not counted)"
        )
        local_times, remote_times = [], []
        try:
            for round_number in range(args.rounds):  # alternate, so the machine's other load falls on both
                local_out = Path(scratch) / f"local-{round_number}"
                local_times.append(
                    college_grade(course, folder, data_dir, local_out, "--workers", str(workers))
                )
                dask_out = Path(scratch) / f"dask-{round_number}"
                remote_times.append(
                    college_grade(course, folder, data_dir, dask_out, "--scheduler", cluster.address)
                )
                print(
                    f"  round {round_number + 1}: local {local_times[-1]:.1f} s, Dask {remote_times[-1]:.1f} s"
                )
        finally:
            cluster.stop()
        local, remote = min(local_times), min(remote_times)
        print(f"local pool:         {local:7.1f} s  {n / local:6.2f} submissions/s  (best of {args.rounds})")
        print(
            f"Dask cluster:       {remote:7.1f} s  {n / remote:6.2f} submissions/s  (best of {args.rounds})"
        )
        cost = remote / local - 1
        verdict = "within" if cost <= GOAL else "over"
        print(f"cost of distribution: {cost:+.0%} of the local pool's time ({verdict} the {GOAL:.0%} goal)")
        grading, recording, count = stage_seconds(dask_out)
        per_submission = remote * workers / n  # worker-seconds per submission, all overheads included
        needed = math.ceil(TARGET_SUBMISSIONS * per_submission / TARGET_SECONDS)
        print(
            f"measured: {per_submission:.2f} worker-seconds per submission on the cluster "
            f"({grading / max(1, count):.2f} s grading itself), {recording / max(1, count) * 1000:.0f} ms "
            "recording each in the client"
        )
        print(
            f"estimate: {TARGET_SUBMISSIONS} submissions in {TARGET_SECONDS // 60} minutes need about {needed} "
            f"single-thread Dask workers like these cores; the client records one trainee at a time, so it "
            f"needs {TARGET_SUBMISSIONS * recording / max(1, count):.0f} s of the {TARGET_SECONDS} s "
            "(a PostgreSQL gradebook on a server of its own keeps that low)"
        )


if __name__ == "__main__":
    main()
