"""Benchmark: grade one cohort with plain ``nbgrader autograde`` and with ``college grade``, in one run.

Not a test (it takes minutes). Run ``.venv/bin/python benchmarks/bench_grading.py`` (``--submissions 100`` by
default, ``--exercise ID`` for another exercise, ``--skip-nbgrader`` to time ours alone). It builds a real nbgrader
course directory in a temporary folder: the exercise's source, its student version made by ``generate_assignment``,
and a cohort of submissions in ``submitted/<trainee>/<exercise>/`` with a realistic mix of answers (half right,
a quarter with one wrong answer, some all wrong, some left blank). It then times both graders on exactly those
submissions and prints wall times, submissions per second, the ratio, and where ``college grade``'s time went.
The goal: at least 4x nbgrader's throughput with every safety property on, on 2 cores.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "autograder" / "files" / "admissions-rates"
PREFERRED = ("pandas-ae-first-look", "spc-special-causes", "rates-and-intervals")
GOAL = 4.0


def grade_id(cell: dict[str, Any]) -> str | None:
    value = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return value if isinstance(value, str) else None


def choose_exercise(name: str | None) -> tuple[Path, Path]:
    """The exercise folder and its data folder: ``name``, else a real exercise with data, else the fixture."""
    data = REPO / "data"
    candidates = [name] if name else [*PREFERRED, str(FIXTURE)]
    for candidate in candidates:
        folder = Path(candidate) if Path(candidate).is_dir() else REPO / "exercises" / candidate
        if (folder / "exercise.yml").is_file():
            exercise_data = folder / "data" if folder == FIXTURE else data
            return folder, exercise_data
    raise SystemExit(f"no exercise found among {candidates}")


def make_cohort(course: Path, exercise: Any, data_dir: Path, size: int) -> None:
    """A real nbgrader course: source/, release/ (by generate_assignment) and submitted/ for ``size`` trainees."""
    from autograder.release import release_notebook

    source_dir = course / "source" / exercise.id
    (source_dir / "data").mkdir(parents=True)
    notebook_path = Path(exercise.notebook)
    shutil.copyfile(notebook_path, source_dir / notebook_path.name)
    for name in exercise.data:
        shutil.copyfile(data_dir / name, source_dir / "data" / name)
    source = json.loads(notebook_path.read_text(encoding="utf-8"))
    release = release_notebook(exercise.id, notebook_path)
    model = {grade_id(cell): cell["source"] for cell in source["cells"] if grade_id(cell)}
    solutions = [
        grade_id(cell)
        for cell in release["cells"]
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    ]
    wrong = dict(exercise.wrong_answers)
    for number in range(size):
        notebook = copy.deepcopy(release)
        kind = number % 20
        for cell in notebook["cells"]:
            key = grade_id(cell)
            if key not in solutions:
                continue
            if kind < 10:  # right
                cell["source"] = model[key]
            elif kind < 15:  # one answer wrong
                cell["source"] = (
                    wrong.get(key, model[key]) if key == solutions[number % len(solutions)] else model[key]
                )
            elif kind < 18:  # all wrong
                cell["source"] = wrong.get(key, model[key])
            # else: left blank, as released
        folder = course / "submitted" / f"trainee-{number:03d}" / exercise.id
        folder.mkdir(parents=True)
        (folder / notebook_path.name).write_text(json.dumps(notebook), encoding="utf-8")


def environment() -> dict[str, str]:
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}


def run_nbgrader(course: Path, exercise_id: str) -> float:
    from autograder.record import create_schema

    create_schema(f"sqlite:///{course}/gradebook.db")
    scripts = Path(sys.executable).parent
    common = [f"--CourseDirectory.root={course}", "--log-level=WARN"]
    subprocess.run(
        [str(scripts / "nbgrader"), "generate_assignment", exercise_id, "--force", *common],
        cwd=course,
        env=environment(),
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    completed = subprocess.run(
        [str(scripts / "nbgrader"), "autograde", exercise_id, *common],
        cwd=course,
        env=environment(),
        check=False,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        print(
            f"nbgrader autograde reported errors (exit {completed.returncode}):\n{completed.stderr[-1500:]}"
        )
    return seconds


PEAK_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)
"""Runs a command and prints the peak resident memory of the largest process in its tree (grader and workers;
the sandboxes are bounded by their own limits), so each run is measured on its own."""


def run_college(
    course: Path,
    exercise_folder: Path,
    data_dir: Path,
    out: Path,
    workers: int,
    submitted: Path | None = None,
) -> tuple[float, float]:
    """Seconds, and peak memory in MB of the largest process in ``college grade``'s tree."""
    college = Path(sys.executable).parent / "college"
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK_WRAPPER,
            str(college),
            "grade",
            str(exercise_folder),
            str(submitted or course / "submitted"),
            "--out",
            str(out),
            "--data",
            str(data_dir),
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        env=environment(),
        check=False,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"college grade failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    peak_kb = next(
        (int(line.split()[1]) for line in completed.stdout.splitlines() if line.startswith("peak-kb ")), 0
    )
    return seconds, peak_kb / 1024


def run_hostile(scratch: Path, workers: int) -> None:
    """The test suite's hostile cohort (every attack it knows, on the fixture exercise), graded once, with the
    grader's peak memory: it should stay near the honest figure whatever trainees send."""
    import socket

    from tests.autograder import hostile
    from tests.autograder.helpers import DATA_DIR, EXERCISE_DIR

    submitted = scratch / "hostile" / "submitted"
    with socket.socket() as listener:  # the cohort's network probe needs a port that nothing answers on
        listener.bind(("127.0.0.1", 0))
        hostile.write_cohort(
            submitted, port=listener.getsockname()[1], gradebook=scratch / "hostile" / "gb.db"
        )
    trainees = sum(1 for entry in submitted.iterdir() if entry.is_dir())
    seconds, peak = run_college(
        scratch, EXERCISE_DIR, DATA_DIR, scratch / "hostile-out", workers, submitted=submitted
    )
    print(
        f"hostile cohort:     {seconds:7.1f} s  {trainees} submissions; peak memory of the largest process in "
        f"the grader's tree {peak:.0f} MB (bound: Limits.grader_memory_mb per worker)"
    )


def profile(out: Path, wall: float, workers: int) -> None:
    """Where college grade's time went, from the stage times every result records."""
    stages = {"reading": 0.0, "execute": 0.0, "tests": 0.0, "feedback": 0.0, "record": 0.0}
    statuses: dict[str, int] = {}
    scores: list[float] = []
    for path in (out / "results").glob("*.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        for stage in stages:
            stages[stage] += result["times"][stage]
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        scores.append(result["score"])
    in_workers = sum(stages[s] for s in ("reading", "execute", "tests", "feedback"))
    print("\nWhere college grade's time went (summed over submissions):")
    for stage, seconds in stages.items():
        where = "main process" if stage == "record" else f"{workers} workers"
        print(f"  {stage:<9} {seconds:7.2f} s  ({where})")
    busy = in_workers / workers + stages["record"]
    print(
        f"  startup, collection, export and waiting: about {max(0.0, wall - busy):.2f} s of the {wall:.2f} s wall time"
    )
    print(f"  statuses: {statuses}; mean score {sum(scores) / max(1, len(scores)):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument(
        "--exercise", default=None, help="exercise id or folder (default: a real one, else the fixture)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--skip-hostile", action="store_true", help="do not grade the hostile cohort")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from college.curriculum import load_exercise

    folder, data_dir = choose_exercise(args.exercise)
    exercise = load_exercise(folder)
    print(
        f"Exercise {exercise.id}: {args.submissions} submissions, {os.cpu_count()} CPUs, {args.workers} workers"
    )
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        course = Path(scratch) / "course"
        make_cohort(course, exercise, data_dir, args.submissions)
        ours, peak_mb = run_college(course, folder, data_dir, Path(scratch) / "college-out", args.workers)
        print(f"college grade:      {ours:7.1f} s  {args.submissions / ours:6.2f} submissions/s")
        print(
            f"  peak memory of the largest process in college grade's tree: {peak_mb:.0f} MB "
            "(the grading worker's own cap is Limits.grader_memory_mb)"
        )
        if not args.skip_hostile:
            run_hostile(Path(scratch), args.workers)
        if not args.skip_nbgrader:
            theirs = run_nbgrader(course, exercise.id)
            print(f"nbgrader autograde: {theirs:7.1f} s  {args.submissions / theirs:6.2f} submissions/s")
            ratio = theirs / ours
            verdict = "meets" if ratio >= GOAL else "misses"
            print(
                f"ratio: college grade is {ratio:.1f}x nbgrader's throughput ({verdict} the {GOAL:g}x goal)"
            )
        profile(Path(scratch) / "college-out", ours, args.workers)


if __name__ == "__main__":
    main()
