"""Benchmark of the install by role (not a test: it installs from the package index and prints figures).

Run ``.venv/bin/python benchmarks/bench_install.py``. It builds the wheel once, then for each role makes an empty
virtual environment, installs ``nhs-open-college`` with that role's extra (pip finds the wheel through
``PIP_FIND_LINKS``, everything else comes from the index as for a real user) and prints the number of
distributions the install added, the megabytes it added and the seconds it took. Goal for the trainee's plain
install: at most 40 distributions and 250 MB, in under a minute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROLES = {
    "trainee": "nhs-open-college",
    "tutor": "nhs-open-college[grade]",
    "author": "nhs-open-college[site]",
}
GOALS = {"trainee": (40, 250.0, 60.0)}


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def distributions(python: Path) -> int:
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True, check=True
    )
    return len(json.loads(listed.stdout))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-install-") as scratch:
        wheels = Path(scratch, "wheels")
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
            check=True,
            capture_output=True,
        )
        (wheel,) = wheels.glob("*.whl")
        print(f"wheel {wheel.name}: {wheel.stat().st_size / 1000:.0f} kB")
        env = {
            **os.environ,
            "PIP_FIND_LINKS": " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS")])),
        }
        print(
            f"{'role':<8} {'requirement':<26} {'added distributions':>20} {'added MB':>9} {'seconds':>8}  goal"
        )
        for role, requirement in ROLES.items():
            venv = Path(scratch, role)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
            empty_count, empty_mb = distributions(python), size_mb(venv)
            started = time.monotonic()
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", requirement],
                env=env,
                check=True,
                capture_output=True,
            )
            seconds = time.monotonic() - started
            added, added_mb = distributions(python) - empty_count, size_mb(venv) - empty_mb
            goal = GOALS.get(role)
            verdict = ""
            if goal:
                met = added <= goal[0] and added_mb <= goal[1] and seconds <= goal[2]
                verdict = f"{'met' if met else 'NOT met'} (<= {goal[0]}, <= {goal[1]:g} MB, <= {goal[2]:g} s)"
            print(
                f"{role:<8} {requirement:<26} {added:>20} {added_mb:>9.0f} {seconds:>8.1f}  {verdict}",
                flush=True,
            )


if __name__ == "__main__":
    main()
