"""Hidden tests stay hidden: whatever marks them (as nbgrader reads markers), and whatever the trainee's code does
with the inputs a hidden test hands it (print them, keep them for a later cell, raise them, write them to a file,
signal them through how its process ends)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.preprocessors import ClearHiddenTests

from autograder.cohort import CohortResult, grade_cohort
from autograder.exercise import Delimiters, parse_source_notebook
from autograder.sandbox.limits import Limits
from tests.autograder.helpers import (
    NOTEBOOK_NAME,
    answered,
    fixture_spec,
    grade_id,
    source_notebook,
    with_extra_cell,
    write_submission,
)

LIMITS = Limits(cell_timeout=6, submission_timeout=60, memory_mb=256)
SECRET_EVENTS, SECRET_POPULATION = 7351, 97531
SECRET_EXPECTED = "75.370"  # 7351 / 97531 * 1000 = 75.3709...
SECRET_SOURCE = "SECRET_SOURCE_c41d"
SECRETS = (str(SECRET_POPULATION), str(SECRET_EVENTS), SECRET_EXPECTED, SECRET_SOURCE, "HIDDEN_TOKEN_7f3a")

HIDDEN_CALLS = f"""# hidden: an odd population is handled
# {SECRET_SOURCE}: the expected value below is private
assert abs(rate_per_1000({SECRET_EVENTS}, {SECRET_POPULATION}) - {SECRET_EVENTS} / {SECRET_POPULATION} * 1000) < 1e-9
"""


def _source(cell: dict[str, Any]) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def secret_notebook(
    begin: str = "### BEGIN HIDDEN TESTS", end: str = "### END HIDDEN TESTS"
) -> dict[str, Any]:
    """The fixture exercise with a hidden test that calls the trainee's function with secret inputs."""
    notebook = copy.deepcopy(source_notebook())
    for cell in notebook["cells"]:
        if grade_id(cell) == "test_rate_function":
            visible = _source(cell).split("### BEGIN HIDDEN TESTS")[0]
            cell["source"] = f"{visible}{begin}\n{HIDDEN_CALLS}{end}\n"
    return notebook


def write_exercise(folder: Path, notebook: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NOTEBOOK_NAME
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def spec_for(path: Path, delimiters: Delimiters | None = None):  # type: ignore[no-untyped-def]
    return fixture_spec(LIMITS, path, **({"delimiters": delimiters} if delimiters else {}))


def every_output(out: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".csv", ".json", ".txt"}
    )


LEAKY_FUNCTION = """
SEEN = []
def rate_per_1000(events, population):
    SEEN.append((events, population))
    print("called with", events, population)
    import sys
    print("stderr", events, population, file=sys.stderr)
    with open("/tmp/leak.txt", "a") as leak:
        leak.write(f"{events} {population}\\n")
    if population > 50000:
        import os
        os._exit(42)
    if population <= 0:
        raise ValueError(f"population must be positive, got {events} {population}")
    return events / population * 1000
"""

LATER_CELL = """
print("seen so far:", SEEN)
try:
    print(open("/tmp/leak.txt").read())
except OSError:
    pass
raise RuntimeError(f"leaking {SEEN}")
"""

RAISING_FUNCTION = """
def rate_per_1000(events, population):
    if population <= 0:
        raise ValueError("population must be positive")
    if population > 50000:
        raise ValueError(f"I got {events} and {population}")
    return events / population * 1000
"""


@pytest.fixture(scope="module")
def leak_cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[CohortResult, Path]:
    base = tmp_path_factory.mktemp("secrecy")
    spec = spec_for(write_exercise(base / "exercise", secret_notebook()))
    submissions = base / "submitted"
    write_submission(submissions, "honest", answered())
    leaky = answered({"rate_function": LEAKY_FUNCTION})
    write_submission(submissions, "leaky", with_extra_cell(leaky, LATER_CELL, after="test_rate_function"))
    write_submission(
        submissions, "leaky-at-the-end", with_extra_cell(leaky, LATER_CELL, after="test_monthly")
    )
    write_submission(submissions, "raising", answered({"rate_function": RAISING_FUNCTION}))
    return grade_cohort(spec, submissions, out=base / "out", workers=2, limits=LIMITS), base / "out"


def test_nothing_a_hidden_test_hands_the_trainee_comes_back_in_any_output(
    leak_cohort: tuple[CohortResult, Path],
) -> None:
    result, out = leak_cohort
    text = every_output(out)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "exit code 42" not in text
    # the trainee's own messages from their visible-phase calls are still shown
    leaky = result.result("leaky")
    assert "called with 5 1000" in (out / "feedback" / "leaky.html").read_text(encoding="utf-8")
    rate = next(q for q in leaky.questions if q.question == "test_rate_function")
    assert rate.score == 0 and "hidden check 'an odd population is handled' failed" in rate.reason


def test_honest_work_still_passes_hidden_checks_run_after_the_last_cell(
    leak_cohort: tuple[CohortResult, Path],
) -> None:
    result, _ = leak_cohort
    assert result.result("honest").score == 5
    raising = result.result("raising")
    rate = next(q for q in raising.questions if q.question == "test_rate_function")
    assert rate.score == 0 and SECRET_EXPECTED not in rate.reason
    # the other questions keep their marks whatever the hidden call did to the process
    assert result.result("leaky").score == 3


MARKERS = [
    ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
    ("# BEGIN HIDDEN TESTS", "# END HIDDEN TESTS"),
    ("#BEGIN HIDDEN TESTS", "#END HIDDEN TESTS"),
    ("    ## BEGIN HIDDEN TESTS (tutor only)", "## END HIDDEN TESTS  "),
]


def nbgrader_release(notebook: dict[str, Any], delimiters: Delimiters) -> list[str]:
    """nbgrader's own ClearHiddenTests, run here independently of the grader's code."""
    node = nbformat.from_dict(copy.deepcopy(notebook))
    for cell in node.cells:
        cell.source = _source(cell)
    clear = ClearHiddenTests(
        begin_test_delimeter=delimiters.begin_hidden, end_test_delimeter=delimiters.end_hidden
    )
    node, _ = clear.preprocess(node, {})
    return [cell.source for cell in node.cells]


@pytest.mark.parametrize(("begin", "end"), MARKERS)
def test_hidden_blocks_are_whatever_nbgrader_hides(tmp_path: Path, begin: str, end: str) -> None:
    notebook = secret_notebook(begin, end)
    path = write_exercise(tmp_path, notebook)
    _, questions, _ = parse_source_notebook(path)
    expected = nbgrader_release(notebook, Delimiters())
    question = next(q for q in questions if q.grade_id == "test_rate_function")
    index = next(i for i, c in enumerate(notebook["cells"]) if grade_id(c) == "test_rate_function")
    assert question.release_source == expected[index].rstrip("\n")
    assert SECRET_SOURCE not in question.release_source
    hidden = [segment for segment in question.segments if segment.hidden]
    assert len(hidden) == 1 and SECRET_SOURCE in hidden[0].source
    assert hidden[0].name == "an odd population is handled"
    assert all(SECRET_SOURCE not in s.source for s in question.segments if not s.hidden)


def test_a_course_with_its_own_delimiters_is_released_and_graded_with_them(tmp_path: Path) -> None:
    delimiters = Delimiters(begin_hidden="TUTOR ONLY FROM HERE", end_hidden="TUTOR ONLY TO HERE")
    notebook = secret_notebook("# TUTOR ONLY FROM HERE", "# TUTOR ONLY TO HERE")
    path = write_exercise(tmp_path / "exercise", notebook)
    spec = spec_for(path, delimiters)
    question = next(q for q in spec.questions if q.grade_id == "test_rate_function")
    index = next(i for i, c in enumerate(notebook["cells"]) if grade_id(c) == "test_rate_function")
    assert question.release_source == nbgrader_release(notebook, delimiters)[index].rstrip("\n")
    assert SECRET_SOURCE not in question.release_source
    # with nbgrader's default delimiters the same cell hides nothing: the course's choice matters
    assert SECRET_SOURCE in spec_for(path).question("test_rate_function").release_source
    submissions = tmp_path / "submitted"
    write_submission(submissions, "raising", answered({"rate_function": RAISING_FUNCTION}))
    result = grade_cohort(spec, submissions, out=tmp_path / "out", workers=1, limits=LIMITS)
    assert result.result("raising").score == 3
    text = every_output(tmp_path / "out")
    assert not any(secret in text for secret in SECRETS[:4])  # this course's other cells hide nothing


def test_a_tutors_comment_in_a_hidden_block_is_not_its_name(tmp_path: Path) -> None:
    notebook = secret_notebook()
    for cell in notebook["cells"]:
        if grade_id(cell) == "test_rate_function":
            cell["source"] = _source(cell).replace("# hidden: an odd population is handled\n", "")
    _, questions, _ = parse_source_notebook(write_exercise(tmp_path, notebook))
    hidden = [s for s in questions[1].segments if s.hidden]
    assert hidden[0].name == "hidden check 1" and SECRET_SOURCE not in hidden[0].name
