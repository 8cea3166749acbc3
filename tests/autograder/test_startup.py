"""Start-up cost: the command line skips what grading never uses, and what it reads instead agrees with nbgrader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from autograder.record import _alembic_head

CHECK = """
import sys
from autograder.imports import fast_start
fast_start()
import nbformat
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearSolutions, AssignLatePenalties
import nbgrader
assert not any(name.startswith(("nbgrader.server_extensions", "jupyter_server")) for name in sys.modules)
assert sys.modules["rfc3987_syntax"] is None and sys.modules["isoduration"] is None
assert "requests" not in sys.modules  # nbgrader.auth's JupyterHub plugin: the gradebook does not need it
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
nbformat.validate(notebook)  # nbformat's own schema check still runs
try:
    nbformat.validate(nbformat.from_dict({"cells": [], "nbformat": 4, "nbformat_minor": 5}))
except nbformat.ValidationError:
    pass
else:
    raise AssertionError("an invalid notebook passed validation")
print(nbgrader.__version__)
"""


def test_fast_start_leaves_nbgrader_and_nbformat_working(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("0.")


def test_the_schema_head_read_from_the_scripts_is_alembics_own() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    assert _alembic_head() == ScriptDirectory.from_config(config).get_current_head()


DEFERRED_CHECK = """
import sys
from autograder.imports import fast_start
fast_start()
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
assert "nbconvert.exporters.html" not in sys.modules and "nbclient" not in sys.modules
assert "nbgrader.preprocessors.execute" not in sys.modules
from nbconvert import HTMLExporter  # any other name runs the package's own __init__
from nbgrader.preprocessors import ClearSolutions as again, Execute
import nbgrader.preprocessors.clearsolutions as module
assert again is ClearSolutions is module.ClearSolutions
import nbconvert.preprocessors
assert nbconvert.preprocessors.ExecutePreprocessor and HTMLExporter and Execute
import nbgrader.utils
assert "setuptools.dist" not in sys.modules  # nbgrader.utils needs setuptools.archive_util alone
from setuptools import setup  # noqa: F401  (and the whole package is there when asked for)
assert "setuptools.dist" in sys.modules
print("ok")
"""


def test_deferred_packages_load_what_is_asked_and_everything_else_on_demand() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DEFERRED_CHECK], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


NBCONVERT_SUBMODULE_CHECK = """
from autograder.imports import fast_start
fast_start()
from nbconvert.exporters import NotebookExporter  # imports `from nbconvert import filters` while half imported
from nbgrader.preprocessors import ClearSolutions
import nbconvert
print(NotebookExporter.__name__, ClearSolutions.__name__, nbconvert.filters.__name__)
"""


def test_a_deferred_package_gives_a_submodule_to_its_own_half_imported_modules() -> None:
    """nbconvert's exporters import ``from nbconvert import filters`` during their own import: a deferred
    package must hand over just that submodule (running its whole __init__ there re-enters the half-imported
    exporters and fails, as `college exercise build` did from a fresh clone)."""
    done = subprocess.run(
        [sys.executable, "-c", NBCONVERT_SUBMODULE_CHECK],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["NotebookExporter", "ClearSolutions", "nbconvert.filters"]


def test_college_exercise_build_runs_as_the_makefile_runs_it(tmp_path: Path) -> None:
    """The command `make exercises` runs, from the command line (with its fast start), for one exercise."""
    college = Path(sys.executable).with_name("college")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [
            str(college),
            "exercise",
            "build",
            "pandas-ae-first-look",
            "--out",
            str(tmp_path),
            "--root",
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert (tmp_path / "pandas-ae-first-look.zip").is_file()
