"""A release as the trainee downloads it: a set-up cell first, a ``check(...)`` line after each question, and
``self-check.json``; no hidden test anywhere in the ZIP; and ``check``/``hint`` working in a real Jupyter kernel.
Needs the shared synthetic data in ``data/`` (``make data``) and the tutor's tools (nbgrader, to build)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from autograder.release import build_release
from college.curriculum import load_exercise
from college.selfcheck.questions import is_self_check_cell, nbgrader_metadata

REPO = Path(__file__).resolve().parents[2]
EXERCISE = "pandas-ae-first-look"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    exercise = load_exercise(REPO / "exercises" / EXERCISE)
    if not all((REPO / "data" / name).is_file() for name in exercise.data):
        pytest.skip("the shared data are missing: run `make data` first")
    base = tmp_path_factory.mktemp("release")
    archive = build_release(exercise, base, REPO / "data")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(base / "trainee")
        texts = {
            name: zipped.read(name).decode("utf-8") for name in zipped.namelist() if not name.endswith(".csv")
        }
    (base / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    return base


def _hidden_lines() -> set[str]:
    source = json.loads((REPO / "exercises" / EXERCISE / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    hidden: set[str] = set()
    visible: set[str] = set()
    for cell in source["cells"]:
        inside = False
        for line in "".join(cell["source"]).splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            (hidden if inside else visible).add(line.strip())
    return {line for line in hidden - visible if len(line) > 12}


def test_no_hidden_test_reaches_the_trainee_by_any_file(unpacked: Path) -> None:
    texts: dict[str, str] = json.loads((unpacked / "texts.json").read_text(encoding="utf-8"))
    assert set(texts) == {
        f"{EXERCISE}/{EXERCISE}.ipynb",
        f"{EXERCISE}/self-check.json",
        f"{EXERCISE}/README.txt",
    }
    lines = _hidden_lines()
    assert len(lines) > 10  # the exercise does have hidden tests to keep back
    for name, text in texts.items():
        assert "HIDDEN TESTS" not in text, name
        leaked = [line for line in lines if line in text or json.dumps(line)[1:-1] in text]
        assert not leaked, (name, leaked[:3])


def test_the_notebook_opens_with_the_set_up_and_checks_each_question_in_place(unpacked: Path) -> None:
    notebook = json.loads((unpacked / "trainee" / EXERCISE / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert is_self_check_cell(code[0]) and 'load("self-check.json")' in "".join(code[0]["source"])
    after_tests = []
    for before, cell in zip(notebook["cells"], notebook["cells"][1:], strict=False):
        if is_self_check_cell(cell) and cell is not code[0]:
            after_tests.append((nbgrader_metadata(before).get("grade_id"), "".join(cell["source"])))
    assert after_tests == [
        ("q1-tests", 'check("q1")'),
        ("q2-tests", 'check("q2")'),
        ("q3-tests", 'check("q3")'),
        ("q4-rate-tests", 'check("q4")'),
    ]
    self_check = json.loads((unpacked / "trainee" / EXERCISE / "self-check.json").read_text(encoding="utf-8"))
    q2 = next(q for q in self_check["questions"] if q["id"] == "q2-median")
    assert q2["title"] == "Question 2: time in the department" and len(q2["hints"]) == 3
    assert [t["hidden_checks"] for t in q2["tests"]] == [1]


def _answered(folder: Path, wrong_median: bool) -> dict[str, Any]:
    source = json.loads((REPO / "exercises" / EXERCISE / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    answers = {
        nbgrader_metadata(c)["grade_id"]: "".join(
            line for line in c["source"] if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line
        )
        for c in source["cells"]
        if nbgrader_metadata(c).get("solution")
    }
    if wrong_median:
        answers["q2-median"] = load_exercise(REPO / "exercises" / EXERCISE).wrong_answers["q2-median"]
    notebook: dict[str, Any] = json.loads((folder / f"{EXERCISE}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        grade_id = nbgrader_metadata(cell).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
        if nbgrader_metadata(cell).get("grade"):
            cell["source"] = "pass"  # the trainee runs check(...) lines, not the test cells themselves
    notebook["cells"].append(
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": 'hint("q2")\nhint("q2")'}
    )
    return notebook


def _outputs(notebook: dict[str, Any]) -> str:
    return "".join(
        "".join(output.get("text", ""))
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )


def test_check_and_hint_in_a_real_kernel(unpacked: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    folder = unpacked / "trainee" / EXERCISE
    for wrong in (False, True):
        notebook = nbformat.reads(json.dumps(_answered(folder, wrong)), as_version=4)
        NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute()
        out = _outputs(notebook)
        assert "Self-check ready for 4 questions" in out
        assert "Question 1: count attendances by department type: passed" in out
        assert "Question 4: join to patients: attendance rates by deprivation: passed" in out
        if wrong:
            assert "Question 2: time in the department: not yet" in out
            assert "did you take the mean?" in out
        else:
            assert "Question 2: time in the department: passed" in out
        assert "Question 2: time in the department, hint 1 of 3: Subtract" in out and "hint 2 of 3" in out
