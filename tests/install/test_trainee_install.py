"""The trainee's install, tested as installed: the wheel built from this repository, installed with plain pip
into a fresh virtual environment outside the repository (no system site-packages), and the trainee's commands
run from a scratch folder with that environment's own Python. Nothing here imports the repository's code.

Slow (about 30 s: pip resolves and installs pandas and numpy), but it is the only test of what a
trainee actually gets, so it runs in ``make test``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

EXERCISE = "pandas-ae-first-look"
INSTALL = "python -m pip install nhs-open-college"
"""The trainee's install line, as README.md, the set-up page and every exercise's README show it."""
TUTOR_ONLY = ("nbgrader", "mkdocs", "mkdocs-material", "jupyterlab", "notebook", "playwright", "zensical")


@dataclass(frozen=True)
class Installed:
    venv: Path
    bin: Path
    work: Path
    wheel: Path
    seconds: float

    def run(
        self, *args: str, cwd: Path | None = None, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["COLUMNS"] = "200"
        completed = subprocess.run(
            list(args), cwd=cwd or self.work, capture_output=True, text=True, env=env, timeout=300
        )
        if check:
            assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed


def setup_page_blocks() -> list[str]:
    """The bash blocks of the site's "Set up your computer" page (courses/setup.md), dedented."""
    text = (REPO / "courses" / "setup.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^( *)```bash\n(.*?)^\1```", text, re.DOTALL | re.MULTILINE)
    return [
        "\n".join(line.removeprefix(indent) for line in body.splitlines()) + "\n" for indent, body in blocks
    ]


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("trainee")
    assert not base.resolve().is_relative_to(REPO), "the environment must be outside the repository"
    wheels = base / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("nhs_open_college-*.whl")
    work = base / "work"
    work.mkdir()
    # The set-up page's commands exactly as written, in bash; pip finds this wheel (not yet on PyPI) through
    # PIP_FIND_LINKS, and everything else from the index as for a trainee.
    links = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_FIND_LINKS"] = links
    started = time.monotonic()
    subprocess.run(
        ["bash", "-e", "-c", setup_page_blocks()[1]], cwd=work, env=env, check=True, capture_output=True
    )
    venv = work / "college-env"
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    yield Installed(venv, bin_dir, work, wheel, time.monotonic() - started)
    shutil.rmtree(base, ignore_errors=True)


def _distributions(installed: Installed) -> dict[str, str]:
    listed = installed.run(str(installed.bin / "python"), "-m", "pip", "list", "--format=json", check=True)
    return {item["name"].lower(): item["version"] for item in json.loads(listed.stdout)}


def test_the_wheel_ships_its_data_and_typing_marker(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    assert {"college/data/code_lists.yml", "college/data/dictionary.yml", "college/py.typed"} <= names
    templates = REPO / "college" / "site" / "templates"
    assert {
        f"college/site/templates/{t.relative_to(templates).as_posix()}" for t in templates.rglob("*.j2")
    } <= names
    assert not any(name.startswith(("tests/", "exercises/", "courses/")) for name in names)


def test_the_plain_install_is_a_trainees_and_has_no_tutor_or_author_tools(installed: Installed) -> None:
    distributions = _distributions(installed)
    assert "nhs-open-college" in distributions
    assert {"pandas", "numpy", "ipython"} <= set(distributions)
    assert "pyarrow" not in distributions, "pyarrow (170 MB) is not needed by anything a trainee runs"
    assert not set(TUTOR_ONLY) & set(distributions), sorted(set(TUTOR_ONLY) & set(distributions))
    print(
        f"\ntrainee install: {len(distributions)} distributions, {_size_mb(installed.venv):.0f} MB, "
        f"{installed.seconds:.1f} s; wheel {installed.wheel.stat().st_size / 1000:.0f} kB"
    )


def readme_commands() -> list[str]:
    """The commands README.md shows in its bash blocks, comments removed."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
    return [line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


TRAINEE_LINES = (
    INSTALL,
    f"college exercise check {EXERCISE}.ipynb",
    "college data generate --out data",
    "python -m college --help",
)


def test_the_set_up_page_shows_what_this_file_runs(installed: Installed) -> None:
    anaconda, plain, success = setup_page_blocks()
    assert anaconda.strip() == INSTALL and plain.strip().splitlines()[-1] == INSTALL
    # "What success looks like", run as written in the environment the page's own commands made and switched to:
    checked = installed.run("bash", "-e", "-c", ". college-env/bin/activate\n" + success, check=True)
    assert checked.stdout.count("exercise") >= 2, checked.stdout


def test_readme_shows_the_trainee_commands_this_file_runs() -> None:
    shown = readme_commands()
    assert all(line in shown for line in TRAINEE_LINES), [line for line in TRAINEE_LINES if line not in shown]


def test_the_exercise_page_shows_the_commands_this_file_runs() -> None:
    from college.curriculum import load_curriculum
    from college.site.exercise_pages import INSTALL_COMMAND, render_exercise

    curriculum = load_curriculum(REPO)
    page = render_exercise(curriculum, next(e for e in curriculum.exercises if e.id == EXERCISE))
    shown = [
        line for block in re.findall(r"```bash\n(.*?)```", page, re.DOTALL) for line in block.splitlines()
    ]
    assert INSTALL_COMMAND == INSTALL
    assert shown == [INSTALL, TRAINEE_LINES[1]]


def test_college_runs_as_a_command_and_as_a_module(installed: Installed) -> None:
    command = installed.run("college", "--help", check=True)
    module = installed.run(*TRAINEE_LINES[3].split(), check=True)
    for output in (command.stdout, module.stdout):
        assert "exercise" in output and "data" in output


def test_the_methods_and_validity_libraries_import_and_work(installed: Installed) -> None:
    script = (
        "from college.methods.rates import crude_rate\n"
        "from college.validity.nhs_number import nhs_number_is_valid\n"
        "print(nhs_number_is_valid('9990000018'), nhs_number_is_valid('9990000019'))\n"
        "print(round(crude_rate(50, 10_000, per=1_000).rate, 6))\n"
    )
    completed = installed.run(str(installed.bin / "python"), "-c", script, check=True)
    assert completed.stdout.split() == ["True", "False", "5.0"]


def test_the_data_generator_writes_the_shared_data(installed: Installed) -> None:
    started = time.monotonic()
    installed.run(*TRAINEE_LINES[2].split(), check=True)
    print(f"\ncollege data generate (small) in the trainee's install: {time.monotonic() - started:.1f} s")
    manifest = json.loads((installed.work / "data" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest and (installed.work / "data" / "ae_attendances.csv").is_file()


def test_tutor_commands_say_in_one_line_what_to_install(installed: Installed) -> None:
    completed = installed.run("college", "grade", EXERCISE, "submissions")
    assert completed.returncode == 1 and "Traceback" not in completed.stdout + completed.stderr
    message = completed.stderr.strip().splitlines()
    assert len(message) == 1 and "pip install 'nhs-open-college[grade]'" in message[0], completed.stderr


@pytest.fixture(scope="module")
def download(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exercise's ZIP as the site offers it (built here by the tutor's tools), unpacked where a trainee would."""
    from autograder.release import build_release
    from college.curriculum import load_exercise

    archive = build_release(
        load_exercise(REPO / "exercises" / EXERCISE), tmp_path_factory.mktemp("zip"), REPO / "data"
    )
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(installed.work)
    return installed.work / EXERCISE


def answered(download: Path) -> Path:
    """The released notebook with each stub replaced by the tutor's solution (markers removed)."""
    source = json.loads((REPO / "exercises" / EXERCISE / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    solutions = {
        cell["metadata"]["nbgrader"]["grade_id"]: "".join(
            line for line in cell["source"] if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
        )
        for cell in source["cells"]
        if cell["metadata"].get("nbgrader", {}).get("solution")
    }
    notebook = json.loads((download / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
    path = download / "answered.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def test_the_readme_commands_run_as_written(installed: Installed, download: Path) -> None:
    readme = (download / "README.txt").read_text(encoding="utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("       ")]
    assert commands == [INSTALL, f"college exercise check {EXERCISE}.ipynb"]
    # the install line is the one the fixture ran; the check runs literally here:
    assert commands[1] == TRAINEE_LINES[1]
    checked = installed.run(*commands[1].split(), cwd=download)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "0 of 4 questions pass their visible checks" in checked.stdout
    assert "adds 5 hidden checks" in checked.stdout and "Traceback" not in checked.stdout + checked.stderr


def test_college_exercise_check_passes_a_right_notebook(installed: Installed, download: Path) -> None:
    checked = installed.run("college", "exercise", "check", answered(download).name, cwd=download)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 of 4 questions pass their visible checks" in checked.stdout
    # where to record it: the button the exercise's page shows (tests/browser/test_progress.py presses it)
    assert "I've passed this exercise's checks" in checked.stdout


def test_check_and_hint_run_in_the_trainees_own_python(installed: Installed, download: Path) -> None:
    """Every code cell of the answered notebook, set-up and check(...) lines included, run one after another
    in one namespace, as a kernel would run them; then hint, twice."""
    script = (
        "import json, sys\n"
        "notebook = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "namespace = {'__name__': '__main__'}\n"
        "for cell in notebook['cells']:\n"
        "    if cell['cell_type'] == 'code':\n"
        "        exec(compile(''.join(cell['source']), 'cell', 'exec'), namespace)\n"
        'exec(\'hint("q2")\\nhint("q2")\\nhint("q2")\', namespace)\n'
    )
    completed = installed.run(
        str(installed.bin / "python"), "-c", script, answered(download).name, cwd=download, check=True
    )
    out = completed.stdout
    for title in (
        "Question 1: count attendances by department type: passed",
        "Question 2: time in the department: passed",
        "Question 4: join to patients: attendance rates by deprivation: passed",
    ):
        assert title in out, out
    assert "Question 2: time in the department, hint 1 of" in out
    assert "hint 2 of" in out and "sys.modules" not in out


ANALYSTS_MODULES = sorted((REPO / "courses" / "analysts").glob("[0-9][0-9]-*.md"))


@pytest.fixture(scope="module")
def trainee_data(installed: Installed) -> Path:
    """The shared data, made by the installed generator, as a trainee would make it."""
    folder = installed.work / "examples"
    folder.mkdir(exist_ok=True)
    installed.run("college", "data", "generate", "--out", "data", cwd=folder, check=True)
    return folder / "data"


@pytest.mark.parametrize("page", ANALYSTS_MODULES, ids=lambda path: path.stem)
def test_every_worked_example_on_an_analysts_page_runs_in_the_plain_install(
    installed: Installed, trainee_data: Path, page: Path
) -> None:
    """The page's Python blocks, in order, in the installed environment's own Python, on the data it made: a
    trainee with only the plain install can run every example the analysts' pages show (and see what the page
    shows under it)."""
    from college.site.examples import ExampleFailed, python_blocks, run_examples

    codes = [block.code for block in python_blocks(page.read_text(encoding="utf-8"))]
    if not codes:
        pytest.skip("no Python on this page")
    try:
        run_examples(codes, trainee_data, str(page.relative_to(REPO)), python=str(installed.bin / "python"))
    except ExampleFailed as failure:
        pytest.fail(str(failure))


def test_the_library_pages_show_the_install_line_this_file_runs() -> None:
    for page in sorted((REPO / "courses" / "library").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        installs = [line for line in text.splitlines() if "pip install" in line]
        assert installs and all(line.strip() == INSTALL for line in installs), (page.name, installs)


@pytest.fixture(scope="module")
def trainee_kernel(installed: Installed) -> Path:
    """A Jupyter kernel running the trainee's environment (ipykernel, which JupyterLab and Visual Studio Code
    use to run a notebook, installed into it the way the set-up page installs JupyterLab), registered inside that
    environment only. Installed last: the footprint test above counts the college's install alone."""
    python = str(installed.bin / "python")
    installed.run(python, "-m", "pip", "install", "--quiet", "ipykernel", check=True)
    installed.run(
        python,
        "-m",
        "ipykernel",
        "install",
        "--prefix",
        str(installed.venv),
        "--name",
        "college-env",
        check=True,
    )
    return installed.venv / "share" / "jupyter"


def test_a_trainee_answers_in_jupyter_and_checks_each_question_in_place(
    installed: Installed, download: Path, trainee_kernel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answered notebook run cell by cell by a real Jupyter kernel of the trainee's environment, from the
    unzipped folder: the set-up cell loads the self-check, each question's check line reports in its own cell's
    output, and a hint cell shows the first hint then the second."""
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("JUPYTER_PATH", str(trainee_kernel))
    notebook = nbformat.read(answered(download), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('hint("q2")'))
    notebook.cells.append(nbformat.v4.new_code_cell('hint("q2")'))
    client = NotebookClient(
        notebook, kernel_name="college-env", timeout=300, resources={"metadata": {"path": str(download)}}
    )
    client.execute()

    def printed(cell: nbformat.NotebookNode) -> str:
        return "".join(
            output.get("text", "") for output in cell.get("outputs", []) if output.output_type == "stream"
        )

    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "Self-check ready for 4 questions" in printed(code_cells[0])
    checks = [printed(cell) for cell in code_cells if cell.source.strip().startswith("check(")]
    assert len(checks) == 4, checks
    assert all(": passed" in text for text in checks), checks
    assert "Question 1: count attendances by department type: passed" in checks[0]
    first_hint, second_hint = printed(code_cells[-2]), printed(code_cells[-1])
    assert "Question 2: time in the department, hint 1 of" in first_hint
    assert "hint 2 of" in second_hint
    errors = [
        output for cell in code_cells for output in cell.get("outputs", []) if output.output_type == "error"
    ]
    assert not errors, errors
