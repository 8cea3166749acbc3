"""The self-check as the trainee meets it: questions found in a notebook, each check in plain words, hints one
at a time; all in the caller's own Python (no process, no socket)."""

from __future__ import annotations

from pathlib import Path

import pytest

from college.selfcheck import SelfCheck, load
from college.selfcheck.questions import (
    Exercise,
    Question,
    TestCell,
    exercise_from_notebook,
    question_title,
    visible_part,
)
from college.selfcheck.runner import describe, run_question


def cell(kind: str, source: str, **nbgrader: object) -> dict[str, object]:
    return {"cell_type": kind, "metadata": {"nbgrader": nbgrader} if nbgrader else {}, "source": source}


def question(
    heading: str, answer_id: str, answer: str, tests: str, points: int = 1
) -> list[dict[str, object]]:
    """One question as an exercise notebook holds it: its heading, the answer cell and its test cell."""
    number = answer_id.split("-")[0]
    return [
        cell("markdown", heading),
        cell("code", answer, grade_id=answer_id, solution=True),
        cell("code", tests, grade_id=f"{number}-tests", grade=True, points=points),
    ]


NOTEBOOK = {
    "cells": [
        cell("markdown", "# Title"),
        cell("code", "import statistics"),
        *question(
            "## Question 1 — the median wait (2 points)\n\nStore it in `median_wait`.",
            "q1-median",
            "median_wait = ...",
            'assert isinstance(median_wait, float), "A number of minutes"\n'
            'assert median_wait == statistics.median([10.0, 20.0, 90.0]), "The middle value, not the mean"\n'
            '### BEGIN HIDDEN TESTS\nassert median_wait == 20.0, "SECRET_7"\n### END HIDDEN TESTS',
            points=2,
        ),
        *question("## Question 2 (1 point): a count", "q2-count", "count = ...", "assert count > 0"),
    ]
}


def exercise(hints: tuple[str, ...] = ()) -> Exercise:
    found = exercise_from_notebook(NOTEBOOK)
    first = found.questions[0]
    return Exercise("Waits", (Question(first.id, first.title, first.tests, hints), found.questions[1]))


def test_questions_are_found_with_titles_as_the_trainee_reads_them() -> None:
    questions = exercise_from_notebook(NOTEBOOK).questions
    assert [(q.id, q.title, q.points) for q in questions] == [
        ("q1-median", "Question 1: the median wait", 2.0),
        ("q2-count", "Question 2: a count", 1.0),
    ]
    assert questions[0].hidden_checks == 1 and "SECRET_7" not in questions[0].tests[0].source
    assert question_title("no heading here", 3) == "Question 3"
    assert exercise_from_notebook(NOTEBOOK).find("q1") == (questions[0],)
    assert exercise_from_notebook(NOTEBOOK).find("q") == ()


def test_hidden_blocks_are_left_out_and_counted() -> None:
    source = "a = 1\n# BEGIN HIDDEN TESTS\nsecret\n# END HIDDEN TESTS\nb = 2\n### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS"
    assert visible_part(source) == ("a = 1\nb = 2", 2)


def test_a_mean_for_a_median_fails_with_the_tests_own_words() -> None:
    question = exercise().questions[0]
    report = run_question(question, {"statistics": __import__("statistics"), "median_wait": 40.0})
    assert not report.passed and [c.passed for c in report.checks] == [True, False]
    text = describe(report)
    assert "Question 1: the median wait: not yet (1 of 2 visible checks pass)" in text
    assert "Look at: The middle value, not the mean" in text and "1 hidden check" in text
    assert "SECRET_7" not in text  # the hidden check's value never shows


def test_a_right_answer_passes_and_the_tests_names_stay_out_of_the_notebook() -> None:
    namespace = {"statistics": __import__("statistics"), "median_wait": 20.0}
    question = Question("q", "Question 9", (TestCell("t", "total = median_wait * 2\nassert total == 40.0"),))
    report = run_question(question, namespace)
    assert report.passed and "total" not in namespace


def test_errors_are_said_in_plain_words() -> None:
    question = exercise().questions[0]
    undefined = run_question(question, {"statistics": __import__("statistics")})
    assert "`median_wait` is not defined yet" in undefined.problem
    stub = Question("q", "Q", (TestCell("t", "raise NotImplementedError()"),))
    assert "NotImplementedError" in run_question(stub, {}).problem
    bare = Question("q", "Q", (TestCell("t", "assert 1 + 1 == 3"),))
    assert run_question(bare, {}).checks[0].message == "this check failed: assert 1 + 1 == 3"


def test_check_reads_the_callers_variables_and_hint_shows_one_hint_at_a_time() -> None:
    said: list[str] = []
    self_check = SelfCheck(exercise(hints=("Sort the values.", "Take the middle one.")), said.append)
    statistics = __import__("statistics")
    median_wait = 40.0
    self_check.check("q1", {"statistics": statistics, "median_wait": median_wait})
    assert said[-1].startswith("Question 1: the median wait: not yet") and 'hint("q1-median")' in said[-1]
    self_check.hint("q1")
    self_check.hint("q1")
    self_check.hint("q1")
    assert said[-3:] == [
        "Question 1: the median wait, hint 1 of 2: Sort the values.",
        "Question 1: the median wait, hint 2 of 2 (the last one): Take the middle one.",
        "Question 1: the median wait, hint 2 of 2 (the last one): Take the middle one.",
    ]
    self_check.hint("q2")
    assert "no hints for this question" in said[-1]
    self_check.check("q7", {})
    assert 'There is no question "q7"' in said[-1] and '"q1-median"' in said[-1]


def test_load_gives_check_and_hint_bound_to_the_calling_namespace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    (tmp_path / "self-check.json").write_text(json.dumps(exercise().to_json()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    check, _hint = load()
    namespace = {"check": check, "statistics": __import__("statistics"), "median_wait": 20.0, "count": 3}
    exec('check("q1")\ncheck()', namespace)
    out = capsys.readouterr().out
    assert "Question 1: the median wait: passed (2 visible checks)" in out
    assert "2 of 2 questions pass their visible checks" in out
    assert "I've passed this exercise's checks" in out  # the site's button that records it on the pathway
    namespace["count"] = 0
    exec("check()", namespace)
    assert "1 of 2 questions pass" in (out := capsys.readouterr().out) and "pathway" not in out


def test_load_without_the_file_says_where_to_open_the_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="Open the notebook from the exercise's folder"):
        load()


def test_the_self_check_uses_nothing_that_is_linux_only() -> None:
    """No fork, no Unix sockets, no POSIX-only modules anywhere in the package, so it runs on Windows too."""
    import ast

    package = Path(__file__).resolve().parents[2] / "college" / "selfcheck"
    posix_only = {
        "fcntl",
        "resource",
        "socket",
        "select",
        "signal",
        "termios",
        "pwd",
        "grp",
        "multiprocessing",
    }
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
        }
        assert not imported & posix_only, (path.name, imported & posix_only)
        calls = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert not calls & {"fork", "forkpty", "setsid", "killpg"}, path.name


def test_a_college_py_beside_the_notebook_cannot_stand_in_for_the_package(tmp_path: Path) -> None:
    import json

    from college.selfcheck.whole import check_whole_notebook

    (tmp_path / "college.py").write_text("raise SystemExit('the wrong college')\n", encoding="utf-8")
    notebook = {
        "cells": question("## Question 1: a count", "q1-count", "count = 3", 'assert count == 3, "Three"')
    }
    (tmp_path / "mine.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    report = check_whole_notebook(tmp_path / "mine.ipynb", timeout=60)
    assert report.all_passed and not report.stopped, report


def test_a_question_failing_because_of_an_earlier_answer_says_so(tmp_path: Path) -> None:
    import json

    from college.selfcheck.whole import check_whole_notebook

    def notebook(first: str) -> dict[str, object]:
        return {
            "cells": [
                *question(
                    "## Question 1: valid waits",
                    "q1-valid",
                    first,
                    'assert valid == [10, 20], "Drop the negative waits"',
                ),
                *question(
                    "## Question 2: their total",
                    "q2-total",
                    "total = sum(valid)",
                    'assert total == 30, "Add the valid waits"',
                ),
                *question("## Question 3: a constant", "q3-three", "three = 2", 'assert three == 3, "Three"'),
            ]
        }

    path = tmp_path / "mine.ipynb"
    path.write_text(json.dumps(notebook("valid = [-5, 10, 20]")), encoding="utf-8")
    report = check_whole_notebook(path, timeout=60)
    assert [r.passed for r in report.questions] == [False, False, False]
    assert report.causes == {
        "q2-total": (
            "it uses `valid` from your answer to Question 1: valid waits, which does not pass yet: fix that first",
        )
    }
    path.write_text(json.dumps(notebook("valid = [10, 20]")), encoding="utf-8")
    assert check_whole_notebook(path, timeout=60).causes == {}


def test_a_chart_drawn_in_a_terminal_run_is_drawn_off_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from college.selfcheck.whole import check_whole_notebook

    monkeypatch.setenv("MPLBACKEND", "TkAgg")  # what a trainee's desktop may set: a window per figure
    notebook = {
        "cells": [
            cell("markdown", "## Question 1: the backend"),
            cell(
                "code",
                "import os\nbackend = os.environ.get('MPLBACKEND')",
                grade_id="q1-backend",
                solution=True,
            ),
            cell("code", 'assert backend == "Agg", "Off screen"', grade_id="q1-tests", grade=True, points=1),
        ]
    }
    (tmp_path / "mine.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    report = check_whole_notebook(tmp_path / "mine.ipynb", timeout=60)
    assert report.all_passed and not report.stopped, report


def test_a_package_that_is_not_installed_is_named_with_how_to_install_it(tmp_path: Path) -> None:
    """The chart question needs matplotlib, which the plain install leaves out: the whole-notebook check and the
    in-notebook check say how to install it, in the notebook, rather than showing a bare ModuleNotFoundError."""
    import json

    from college.selfcheck.whole import check_whole_notebook

    notebook = {
        "cells": question(
            "## Question 1: a chart",
            "q1-chart",
            "import no_such_plotting_library\nax = 1",
            'assert ax == 1, "An axis"',
        )
    }
    (tmp_path / "mine.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    report = check_whole_notebook(tmp_path / "mine.ipynb", timeout=60)
    assert any("`no_such_plotting_library` is not installed" in error for error in report.cell_errors), report
    assert any("%pip install no_such_plotting_library" in error for error in report.cell_errors)
    said: list[str] = []
    exercise_found = exercise_from_notebook(
        {"cells": question("## Question 1: a chart", "q1-chart", "", "import no_such_plotting_library")}
    )
    SelfCheck(exercise_found, said.append).check("q1", {})
    assert "%pip install no_such_plotting_library" in said[-1], said
