"""Benchmark: ``college grade`` beside plain ``nbgrader autograde`` on the same cohorts, in one run.

Not a test (it takes minutes). Run ``.venv/bin/python benchmarks/bench_grading.py`` (``--submissions 100`` by
default, ``--exercise ID`` for another exercise, ``--skip-nbgrader`` to time ours alone, ``--runs N`` for how
often the short runs are repeated). It builds real nbgrader course directories in a temporary folder: the
exercise's source, its student version made by ``generate_assignment``, and cohorts of 1, 30 and 100 submissions
in ``submitted/<trainee>/<exercise>/`` with a realistic mix of answers (half right, a quarter with one wrong
answer, some all wrong, some left blank; trainee N's notebook is the same in every cohort). It prints, each
measured in this run on this machine:

- one notebook graded from the command line (wall time of the whole ``college grade`` command; goal under 1 s),
  and ``nbgrader autograde`` on the same notebook;
- a 30-submission cohort beside the time the trainees' cells and the tests took (the ``execute`` and ``tests``
  times every result records, summed and spread over the workers): goal within 1.5 times that;
- 100 submissions beside ``nbgrader autograde`` on the same 100: goal at least 25 times its throughput;
- where ``college grade``'s time went, and a hostile cohort's peak memory.

The machine may be shared: the short runs are repeated and their median shown, with the load average.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "autograder" / "files" / "admissions-rates"
PREFERRED = ("pandas-ae-first-look", "spc-special-causes", "rates-and-intervals")
THROUGHPUT_GOAL = 25.0
"""College grade's throughput at 100 submissions, as a multiple of nbgrader autograde's."""
FIXED_GOAL = 1.5
"""A 30-submission cohort's wall time, as a multiple of its trainees' cells and tests spread over the workers."""
SINGLE_GOAL = 1.0
"""Seconds to grade one notebook from the command line."""


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
    "import resource, subprocess, sys, time; started = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:]).returncode; print('seconds', time.perf_counter() - started); "
    "print('peak-kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)
"""Runs a command and prints its wall time (the command's own, from start to exit: not the wrapper's) and the
peak resident memory of the largest process in its tree (grader and workers; the sandboxes are bounded by their
own limits), so each run is measured on its own."""


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
    seconds = next(
        (float(line.split()[1]) for line in completed.stdout.splitlines() if line.startswith("seconds ")),
        seconds,
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


def work_seconds(out: Path, workers: int) -> tuple[float, float, float]:
    """The trainees' cells (``execute``) and the tests (``tests``) summed over every result in ``out``, and
    both spread over the workers: the time grading could not do without."""
    execute = tests = 0.0
    for path in (out / "results").glob("*.json"):
        times = json.loads(path.read_text(encoding="utf-8"))["times"]
        execute += times["execute"]
        tests += times["tests"]
    return execute, tests, (execute + tests) / workers


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
    busy = in_workers / workers
    print(
        f"  start-up, collection, export and waiting: about {max(0.0, wall - busy):.2f} s of the {wall:.2f} s "
        "wall time (recording runs in the main process while the workers grade)"
    )
    print(f"  statuses: {statuses}; mean score {sum(scores) / max(1, len(scores)):.2f}")


def verdict(met: bool) -> str:
    return "meets" if met else "misses"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument(
        "--exercise", default=None, help="exercise id or folder (default: a real one, else the fixture)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5, help="repeats of the one-notebook and 30-cohort runs")
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--skip-hostile", action="store_true", help="do not grade the hostile cohort")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from college.curriculum import load_exercise

    folder, data_dir = choose_exercise(args.exercise)
    exercise = load_exercise(folder)
    runs = max(1, args.runs)
    print(f"Exercise {exercise.id}: {args.workers} workers; {load()} at the start")
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        root = Path(scratch)
        courses = {size: root / f"course-{size}" for size in (1, 30, args.submissions)}
        for size, course in courses.items():
            make_cohort(course, exercise, data_dir, size)

        def ours(size: int, label: str) -> tuple[float, Path]:
            out = root / f"out-{size}-{label}"
            seconds, _ = run_college(courses[size], folder, data_dir, out, args.workers)
            return seconds, out

        singles = [ours(1, str(run))[0] for run in range(runs)]
        single = statistics.median(singles)
        print(
            f"\nOne notebook, from the command line ({runs} runs of `college grade`): median {single:.2f} s, "
            f"fastest {min(singles):.2f} s ({verdict(single < SINGLE_GOAL)} the {SINGLE_GOAL:g} s goal)"
        )
        if not args.skip_nbgrader:
            theirs_one = run_nbgrader(courses[1], exercise.id)
            print(f"  nbgrader autograde, the same notebook: {theirs_one:.2f} s")

        cohort = []
        for run in range(runs):
            seconds, out = ours(30, str(run))
            execute, tests, work = work_seconds(out, args.workers)
            cohort.append((seconds / work, seconds, work, execute, tests))
        ratio, seconds, work, execute, tests = sorted(cohort)[len(cohort) // 2]
        print(
            f"\n30 submissions ({runs} runs, the median shown): {seconds:.2f} s; the trainees' cells "
            f"({execute:.2f} s) and the tests ({tests:.2f} s) spread over {args.workers} workers: {work:.2f} s; "
            f"{ratio:.2f}x that ({verdict(ratio <= FIXED_GOAL)} the {FIXED_GOAL:g}x goal); fixed part about "
            f"{seconds - work:.2f} s"
        )
        print("  every run (wall / work):", ", ".join(f"{r[1]:.2f}/{r[2]:.2f}" for r in cohort))

        big, peak_mb = run_college(
            courses[args.submissions], folder, data_dir, root / "college-out", args.workers
        )
        print(
            f"\n{args.submissions} submissions: college grade {big:.1f} s ({args.submissions / big:.2f} "
            "submissions/s)"
        )
        print(
            f"  peak memory of the largest process in college grade's tree: {peak_mb:.0f} MB "
            "(the grading worker's own cap is Limits.grader_memory_mb)"
        )
        if not args.skip_nbgrader:
            theirs = run_nbgrader(courses[args.submissions], exercise.id)
            ratio = theirs / big
            print(
                f"  nbgrader autograde, the same {args.submissions}: {theirs:.1f} s "
                f"({args.submissions / theirs:.2f} submissions/s)"
            )
            print(
                f"  ratio: college grade is {ratio:.1f}x nbgrader's throughput "
                f"({verdict(ratio >= THROUGHPUT_GOAL)} the {THROUGHPUT_GOAL:g}x goal)"
            )
        if not args.skip_hostile:
            run_hostile(root, args.workers)
        profile(root / "college-out", big, args.workers)
        print(f"\n{load()} at the end")


if __name__ == "__main__":
    main()
