"""Attacks on the autograder's promises, written as a trainee who has read its code would try them.

Each group of tests quotes the promise (autograder/README.md) it attacks and says whether it held or broke, and
how a broken one was fixed; a promise still broken is an ``xfail(strict=True)`` naming what remains to be done.
Attacks already covered by test_hostile.py, test_secrecy.py, test_receiver_limits.py, test_sandbox.py,
test_output_to_tutor.py and test_odd_names.py are not repeated here.
"""

from __future__ import annotations

import copy
import decimal
import json
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograder.cohort import CohortResult, grade_cohort
from autograder.exercise import Question, split_segments
from autograder.models import Status
from autograder.sandbox import codec
from autograder.sandbox.launcher import Sandbox
from autograder.sandbox.limits import Limits
from autograder.sandbox.session import ChildSession
from autograder.verdict import LiveSession, TestContext, TestOutcome, run_hidden, run_test, tutor_namespace
from tests.autograder.helpers import (
    DATA_DIR,
    MAX_SCORE,
    answered,
    exercise,
    with_extra_cell,
    write_submission,
)

LIMITS = Limits(cell_timeout=5, submission_timeout=60, memory_mb=256)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(limits=LIMITS) as box:
        yield box


def verdict(sandbox: Sandbox, trainee: str, test: str, imports: tuple[str, ...] = ()) -> TestOutcome:
    """One test cell decided against one trainee cell, visible and hidden parts both."""
    session = ChildSession(sandbox, LIMITS)
    try:
        reply = session.run(textwrap.dedent(trainee), "answer")
        assert reply.error is None, reply.error
        source = textwrap.dedent(test)
        context = TestContext(tutor_namespace(imports))
        outcome = run_test(
            Question("q", 1.0, source, source, split_segments(source, "test")),
            LiveSession(session),
            context,
            {},
        )
        return run_hidden(outcome.pending, context) if outcome.pending is not None else outcome
    finally:
        session.close()


# "An object with a rigged __eq__ ... cannot take part in a verdict": nor can a function whose exception is
# control flow. Broke: a trainee's StopIteration was rebuilt as one in the grader, so it ended the tutor's
# all(map(...)) early and the check passed with no right answer. Fixed in verdict._rebuild_error.
@pytest.mark.parametrize(
    "test",
    [
        "cases = [((5, 1000), 5.0), ((0, 10), 0.0)]\n"
        "assert all(map(lambda case: rate_per_1000(*case[0]) == case[1], cases))",
        "assert all(got == want for got, want in zip(map(rate_per_1000, [5, 0], [1000, 10]), [5.0, 0.0]))",
        "assert [] == [row for row in iter(lambda: rate_per_1000(5, 1000), 5.0)]",
    ],
    ids=["all-map", "zip-map", "iter-sentinel"],
)
def test_a_function_raising_stop_iteration_cannot_end_a_tests_loop_and_pass_it(
    sandbox: Sandbox, test: str
) -> None:
    trainee = """
    def rate_per_1000(events, population):
        raise StopIteration
    """
    outcome = verdict(sandbox, trainee, test)
    assert not outcome.passed
    assert "StopIteration" in outcome.message


def test_stop_iteration_claimed_by_a_forged_reply_is_refused_too(sandbox: Sandbox) -> None:
    """The error's type name and 'builtin' flag come from the trainee's process: a forged reply gains nothing."""
    trainee = """
    import sys
    child = sys.modules["autograder.sandbox.child"]
    def forged(self, message):
        return {"op": "called", "ok": False, "stdout": "", "stderr": "",
                "error": {"type": "StopIteration", "builtin": True, "message": "", "traceback": ""}}
    child.Child.call = forged
    def rate_per_1000(events, population):
        return 0
    """
    outcome = verdict(sandbox, trainee, "assert all(map(lambda n: rate_per_1000(n, 1000) == n, [5, 7]))")
    assert not outcome.passed


# "The receiver decides sizes ... whatever the trainee's process sends" and "Marks earned before a time-out or
# crash are kept": broke. A reply that decoded with an exception other than CodecError (an unknown time zone:
# KeyError; a shape of 1e400: OverflowError; an empty zone name: IndexError) escaped the grader, so the whole
# submission became "errored" with 0, and the pool printed the raw traceback, holding the trainee's text, to the
# tutor's terminal. Fixed in codec.decode: any failure to rebuild is a CodecError (an unavailable value).
FORGED_VALUES = [
    {"t": "timestamp", "v": "2020-01-01T00:00:00+00:00", "tz": "\x1b]0;owned\x07Nowhere/Land"},
    {"t": "timestamp", "v": "2020-01-01T00:00:00+00:00", "tz": ""},
    {"t": "ndarray", "dtype": "<i8", "shape": [1e400], "v": ""},
    {"t": "set", "v": [{"t": "list", "v": []}]},
    {"t": "dict", "v": [[{"t": "dataframe", "v": ""}, {"t": "none"}]]},
]


@pytest.mark.parametrize("forged", FORGED_VALUES, ids=lambda forged: forged["t"])
def test_any_forged_encoding_decodes_or_is_a_codec_error(forged: dict[str, Any]) -> None:
    with pytest.raises(codec.CodecError) as raised:
        codec.decode(forged)
    assert "\x1b" not in str(raised.value)


@pytest.mark.parametrize("forged", FORGED_VALUES[:3], ids=lambda forged: forged["t"])
def test_a_forged_value_from_the_sandbox_fails_that_test_only(
    sandbox: Sandbox, forged: dict[str, Any]
) -> None:
    trainee = f"""
    import json, sys
    sys.modules["autograder.sandbox.codec"].encode = lambda value, **limits: json.loads({json.dumps(forged)!r})
    total_rate = 1.0
    """
    outcome = verdict(sandbox, trainee, "assert total_rate == 1.0")
    assert not outcome.passed and outcome.lost is None
    assert "invalid data" in outcome.message and "\x1b" not in outcome.message


# "The tutor's own imports ... always win over the trainee's": broke. When a tutor's import failed in the grader
# (a helper module or optional package the grading machine lacks), the test read the trainee's binding of that
# name, so a trainee defining it decided the test's expected values. Fixed in verdict.tutor_namespace: such names
# are bound to an unavailable value that says which import failed.
def test_a_tutor_import_that_fails_in_the_grader_is_not_filled_by_the_trainee(sandbox: Sandbox) -> None:
    trainee = """
    def expected_rate():
        return 1.0
    total_rate = 1.0
    """
    outcome = verdict(
        sandbox,
        trainee,
        "assert total_rate == expected_rate()",
        imports=("from course_helpers_not_installed import expected_rate",),
    )
    assert not outcome.passed
    assert "course_helpers_not_installed" in outcome.message


# nbgrader's metadata is the trainee's to edit: points, grade flags, locks, checksums, cell ids and test cells of
# their own. "every test cell runs as the tutor wrote it ... even if the trainee deleted, renamed or edited it":
# held. Points and the maximum come from the tutor's notebook; a test cell the trainee adds is their own code.
def tampered(notebook: dict[str, Any]) -> dict[str, Any]:
    notebook = copy.deepcopy(notebook)
    notebook["nbformat_minor"] = 99
    for cell in notebook["cells"]:
        cell["id"] = "same-id"  # duplicate cell ids
        meta = cell.setdefault("metadata", {}).setdefault("nbgrader", {})
        if meta.get("grade"):
            meta.update(points=100, locked=False, checksum="0" * 32)
        elif meta.get("solution"):
            meta.update(grade=True, points=50, solution=False)  # an answer cell turned into a test cell
    bonus = {
        "cell_type": "code",
        "execution_count": None,
        "id": "same-id",
        "metadata": {"nbgrader": {"grade": True, "grade_id": "bonus", "points": 1000, "schema_version": 3}},
        "outputs": [],
        "source": "assert True",
    }
    notebook["cells"].append(bonus)
    return notebook


@pytest.fixture(scope="module")
def tampered_cohort(tmp_path_factory: pytest.TempPathFactory) -> CohortResult:
    root = tmp_path_factory.mktemp("redteam")
    submitted = root / "submitted"
    right = answered()
    wrong = answered({"total_rate": "total_rate = 1.0", "monthly": "monthly = admissions[['month']]"})
    write_submission(submitted, "right-tampered", tampered(right))
    write_submission(submitted, "wrong-plain", wrong)
    write_submission(submitted, "wrong-tampered", tampered(wrong))
    forged = FORGED_VALUES[0]
    crash = (
        "import sys\n"
        "_codec = sys.modules['autograder.sandbox.codec']\n"
        "_plain = _codec.encode\n"
        f"_codec.encode = lambda value, **limits: {forged!r} if value is total_rate else _plain(value, **limits)\n"
        "total_rate = 12345.0"
    )
    write_submission(submitted, "forged-reply", with_extra_cell(right, crash, after="total_rate"))
    return grade_cohort(exercise(), submitted, out=root / "out", data_dir=DATA_DIR, workers=1, limits=LIMITS)


def scores(cohort: CohortResult, trainee: str) -> dict[str, float]:
    return {q.question: q.score for q in cohort.result(trainee).questions}


def test_tampered_points_and_grade_flags_change_nothing(tampered_cohort: CohortResult) -> None:
    right = tampered_cohort.result("right-tampered")
    assert (right.status, right.score, right.max_score) == (Status.GRADED, MAX_SCORE, MAX_SCORE)
    assert "bonus" not in scores(tampered_cohort, "right-tampered")
    assert scores(tampered_cohort, "wrong-tampered") == scores(tampered_cohort, "wrong-plain")
    assert tampered_cohort.result("wrong-tampered").max_score == MAX_SCORE
    assert any("unknown grade_id 'bonus'" in note for note in right.notes)


def test_the_gradebook_holds_the_tutors_points_and_questions_despite_tampering(
    tampered_cohort: CohortResult,
) -> None:
    from nbgrader.api import Gradebook

    gradebook = Gradebook(tampered_cohort.gradebook_url)
    try:
        notebook = gradebook.find_submission_notebook(
            "admissions-rates", "admissions-rates", "right-tampered"
        )
        assert notebook.max_score == MAX_SCORE and notebook.score == MAX_SCORE
        assert {grade.name for grade in notebook.grades} == {
            "test_total_rate",
            "test_rate_function",
            "test_monthly",
        }
    finally:
        gradebook.close()


def test_a_forged_reply_in_a_real_cohort_fails_one_question_and_keeps_the_other_marks(
    tampered_cohort: CohortResult,
) -> None:
    graded = tampered_cohort.result("forged-reply")
    assert graded.status is Status.GRADED, graded.reason
    marks = scores(tampered_cohort, "forged-reply")
    assert marks == {"test_total_rate": 0.0, "test_rate_function": 2.0, "test_monthly": 2.0}
    reason = next(q.reason for q in graded.questions if q.question == "test_total_rate")
    assert "invalid data" in reason and "\x1b" not in reason


def decided(sandbox: Sandbox, trainee: str, *tests: str) -> list[TestOutcome]:
    """Several test cells in order, sharing what they define (as in a notebook), hidden parts at the end."""
    session = ChildSession(sandbox, LIMITS)
    try:
        reply = session.run(textwrap.dedent(trainee), "answer")
        assert reply.error is None, reply.error
        context = TestContext(tutor_namespace(()))
        carried: dict[str, object] = {}
        live = LiveSession(session)
        outcomes = []
        for number, test in enumerate(tests):
            source = textwrap.dedent(test)
            question = Question(f"q{number}", 1.0, source, source, split_segments(source, "test"))
            outcomes.append(run_test(question, live, context, carried))
        return [run_hidden(o.pending, context) if o.pending is not None else o for o in outcomes]
    finally:
        session.close()


# "The tutor's own imports and names defined by earlier test cells always win over the trainee's": broke twice.
# A test that failed kept none of the names it had set, and a name set only in a hidden block (which runs after
# the last cell) was not set when the next test ran; either way the next test read the trainee's binding of that
# name, so a trainee could give up one question to choose the expected value of the next. Fixed in
# verdict._carry: a failed test's names are kept, and names it sets in code not yet run fail any use.
def test_failing_a_test_on_purpose_does_not_hand_its_expected_value_to_the_trainee(sandbox: Sandbox) -> None:
    trainee = """
    total_rate = -1.0
    _expected = 7.0
    answer_two = 7.0
    """
    first, second = decided(
        sandbox, trainee, "_expected = 42.0\nassert total_rate == _expected", "assert answer_two == _expected"
    )
    assert not first.passed
    assert not second.passed and "answer_two == _expected" in second.message


def test_a_name_set_in_an_earlier_hidden_block_is_not_the_trainees(sandbox: Sandbox) -> None:
    trainee = """
    total_rate = 1.0
    _right = 7.0
    answer_two = 7.0
    """
    hidden_first = (
        "assert total_rate > 0\n### BEGIN HIDDEN TESTS\n# hidden: in range\n_right = 42.0\n"
        "assert total_rate < 100\n### END HIDDEN TESTS"
    )
    first, second = decided(sandbox, trainee, hidden_first, "assert answer_two == _right")
    assert first.passed
    assert not second.passed and "hidden check" in second.message


def test_a_name_the_test_reads_from_the_trainee_and_rebinds_is_still_the_trainees_for_later_tests(
    sandbox: Sandbox,
) -> None:
    """Keeping a test's names must not take the trainee's own answers away from later tests."""
    trainee = """
    answer = " Leeds "
    """
    first, second = decided(
        sandbox, trainee, 'answer = answer.strip()\nassert answer == "Leeds"', 'assert answer == " Leeds "'
    )
    assert first.passed and second.passed


# "Captured text is budgeted per notebook ... so many cells cannot add up to a huge feedback file": broke for
# records. The budget counted text, not cells: 300,000 empty markdown cells (a 15 MB notebook, under the 20 MB
# limit) graded to full marks with a 7 MB feedback page and a 50 MB results/<trainee>.json. Fixed in validate: a
# notebook of more than MAX_CELLS cells is an invalid submission, said plainly.
def test_a_notebook_of_very_many_cells_is_refused_before_it_is_run(tmp_path: Path) -> None:
    from autograder.validate import MAX_CELLS, InvalidNotebook, read_notebook

    notebook = answered()
    empty = {"cell_type": "markdown", "metadata": {}, "source": ""}
    notebook["cells"] += [empty] * (MAX_CELLS - len(notebook["cells"]))
    path = write_submission(tmp_path, "at-the-limit", notebook)
    assert len(read_notebook(path, 20_000_000).cells) == MAX_CELLS
    notebook["cells"].append(empty)
    path = write_submission(tmp_path, "over-the-limit", notebook)
    with pytest.raises(InvalidNotebook, match="cells, over the"):
        read_notebook(path, 20_000_000)


# "proxies that call the trainee's functions in the sandbox with data in and data out": a function that changed
# its argument in place changed the sandbox's copy only, so a test that the function leaves its input alone (a
# RAP habit: "clean() must not modify the raw frame") always passed, where nbgrader would fail it; and a test of
# an in-place function always failed an honest trainee. Broke; fixed: the sandbox sends back each argument the
# call changed and the grader makes the same change to the test's own object (child.py, verdict.py).
@pytest.mark.parametrize(
    "trainee, test",
    [
        (
            "def add_rate(frame):\n    frame['rate'] = 1.0\n    return frame",
            "import pandas as pd\nraw = pd.DataFrame({'n': [1, 2]})\nbefore = raw.copy()\nout = add_rate(raw)\n"
            "assert 'rate' in out.columns\npd.testing.assert_frame_equal(raw, before)",
        ),
        (
            "def unique_sorted(values):\n    values.sort()\n    return sorted(set(values))",
            "values = [3, 1, 3]\nassert unique_sorted(values) == [1, 3]\nassert values == [3, 1, 3]",
        ),
    ],
    ids=["frame", "list"],
)
def test_a_function_that_changes_its_input_fails_a_test_that_it_must_not(
    sandbox: Sandbox, trainee: str, test: str
) -> None:
    assert not verdict(sandbox, trainee, test).passed


@pytest.mark.parametrize(
    "trainee, test",
    [
        (
            "def add_rate(frame):\n    frame['rate'] = frame['n'] / 2",
            "import pandas as pd\nraw = pd.DataFrame({'n': [1, 2]})\nadd_rate(raw)\n"
            "assert list(raw['rate']) == [0.5, 1.0], 'add the rate column in place'",
        ),
        (
            "def keep_valid(waits):\n    waits[:] = [w for w in waits if w >= 0]",
            "waits = [5, -1, 7]\nkeep_valid(waits)\nassert waits == [5, 7], 'drop the negative waits in place'",
        ),
        (
            "def count(values):\n    return len(values)",
            "values = {'a': [1, 2]}\nassert count(values) == 1\nassert values == {'a': [1, 2]}",
        ),
    ],
    ids=["frame-in-place", "list-in-place", "unchanged"],
)
def test_a_function_asked_to_change_its_input_in_place_is_seen_doing_so(
    sandbox: Sandbox, trainee: str, test: str
) -> None:
    outcome = verdict(sandbox, trainee, test)
    assert outcome.passed, outcome.message


def test_an_argument_changed_into_something_that_cannot_travel_fails_that_test(sandbox: Sandbox) -> None:
    outcome = verdict(
        sandbox,
        "def spoil(values):\n    values.append(lambda: 1)",
        "values = [1]\nspoil(values)\nassert values == [1, 2]",
    )
    assert not outcome.passed and "cannot be checked" in outcome.message


# "Grader-side test code runs under limits of its own ... a wall-clock limit per test, so a test the trainee
# makes slow fails that test, not the cohort": broke. The limit is a signal, and Python handles signals between
# bytecodes: int() of a trainee's Decimal("1e1000000") ran 21 s in libmpdec before the 0.5 s alarm could act
# (1e10000000: about half an hour), holding a grading worker until the pool's watchdog replaced it and the
# trainee's earned marks were lost. Fixed in codec: a Decimal beyond Python's own int digit limit is refused.
def test_a_decimal_too_large_for_the_graders_clock_is_refused(sandbox: Sandbox) -> None:
    assert codec.decode(codec.encode(decimal.Decimal("1e4300"))) == decimal.Decimal("1e4300")
    for text in ("1e10000000", "1e-10000000", "1" * 5000):
        with pytest.raises(codec.CodecError, match="Decimal"):
            codec.decode({"t": "decimal", "v": text})
    started = time.monotonic()
    outcome = verdict(
        sandbox, "import decimal\ntotal = decimal.Decimal('1e10000000')", "assert int(total) == 5"
    )
    assert not outcome.passed and "Decimal" in outcome.message
    assert time.monotonic() - started < 10


# The same limit, attacked with a range: sum(range(3 * 10**8)) ran 2.6 s past a 0.5 s alarm (the loop is in C);
# range(10**18) would hold the worker for centuries. Broke; fixed in codec: a range longer than a data frame's
# cell limit is refused, as the list it stands for would be.
def test_a_range_too_long_to_sum_before_the_graders_clock_is_refused(sandbox: Sandbox) -> None:
    assert codec.decode(codec.encode(range(0, 10, 3))) == range(0, 10, 3)
    for span in (range(10**18), range(0, -(10**30), -1), range(2**70, 2**71)):
        with pytest.raises(codec.CodecError, match="range"):
            codec.decode(codec.encode(span), cells=1_000_000)
    started = time.monotonic()
    outcome = verdict(sandbox, "values = range(10**18)", "assert sum(values) == 10")
    assert not outcome.passed and "range" in outcome.message
    assert time.monotonic() - started < 10


# "A chart cannot cross either: follow the trainee's drawing with a read-only cell that turns their Axes into plain
# data ... and check that data": broke. The trainee's own cells placed after the read-only cell ran after it and
# before the test, so a cell rebinding its result passed the chart question with no chart drawn (2 of 2 marks, on
# the real SPC exercise). Fixed in plan.build_plan: the trainee's cells between a read-only cell and the test that
# straight follows it run after that test.
FORGED_CHART = """
import numpy as np
from college.methods.spc import xmr_chart
_v = monthly[monthly["provider_code"] == "SYN01"].sort_values("month")["four_hour_pct"].to_numpy(dtype=float)
_centre, _spread = _v[:24].mean(), np.abs(np.diff(_v[:24])).mean()
_rules = xmr_chart(list(_v), baseline_points=24, screen_outliers=False)
_marked = _v[_rules[["outside_limits", "trend", "two_of_three", "shift"]].any(axis=1).to_numpy()]
chart = {
    "series": [[float(x) for x in _v], sorted(float(x) for x in _marked)],
    "levels": [float(_centre), float(_centre + 2.66 * _spread), float(_centre - 2.66 * _spread)],
    "title": "no chart was drawn", "xlabel": "month", "ylabel": "per cent",
}
"""


def test_a_chart_question_is_not_passed_by_rebinding_the_read_only_cells_result(tmp_path: Path) -> None:
    from college.curriculum import load_exercise

    repo = Path(__file__).resolve().parents[2]
    spc = load_exercise(repo / "exercises" / "spc-special-causes")
    notebook = json.loads(Path(spc.notebook).read_text(encoding="utf-8"))
    drawing = next(
        c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "xmr-chart"
    )
    drawing["source"] = "# no chart"
    notebook = with_extra_cell(notebook, FORGED_CHART, after="chart-data")
    folder = tmp_path / "submitted" / "forger" / spc.id
    folder.mkdir(parents=True)
    (folder / Path(spc.notebook).name).write_text(json.dumps(notebook), encoding="utf-8")
    cohort = grade_cohort(
        spc, tmp_path / "submitted", out=tmp_path / "out", data_dir=repo / "data", workers=1
    )
    chart = next(q for q in cohort.result("forger").questions if q.question == "test-xmr-chart")
    assert chart.score == 0, "the chart question passed with no chart drawn"
    assert any("run after that test" in note for note in cohort.result("forger").notes)


def test_a_name_an_earlier_hidden_block_sets_stays_the_trainees_when_it_is_an_answer(
    sandbox: Sandbox,
) -> None:
    """The fix above must not take an answer away: a later answer cell may set the name a hidden block used."""
    trainee = """
    total_rate = 1.0
    monthly = 7.0
    """
    hidden_first = (
        "assert total_rate > 0\n### BEGIN HIDDEN TESTS\n# hidden: in range\nmonthly = 42.0\n"
        "assert total_rate < 100\n### END HIDDEN TESTS"
    )
    session = ChildSession(sandbox, LIMITS)
    try:
        session.run(textwrap.dedent(trainee), "answer")
        context = TestContext(tutor_namespace(()), answers=frozenset({"monthly"}))
        carried: dict[str, object] = {}
        live = LiveSession(session)
        outcomes = [
            run_test(
                Question(f"q{n}", 1.0, source, source, split_segments(source, "test")), live, context, carried
            )
            for n, source in enumerate((hidden_first, "assert monthly == 7.0"))
        ]
        assert [run_hidden(o.pending, context) if o.pending else o for o in outcomes][1].passed
    finally:
        session.close()


def test_answer_names_are_the_model_answers_top_level_names() -> None:
    from autograder.exercise import spec_from_exercise
    from autograder.verdict import answer_names

    spec = spec_from_exercise(exercise(), DATA_DIR, LIMITS)
    assert answer_names(spec) == {"total_rate", "rate_per_1000", "monthly"}


# The same promise, attacked from the other side: the read-only cell runs in the trainee's process, so an object
# named `ax` that only looks like an Axes (its get_lines() returning the right numbers) is "what was drawn".
# Broke; not fixed: whatever reads a chart inside the sandbox reads what the trainee's code hands it (a subclass
# of Axes would do as well). Only rendering the figure in the grader, or comparing pixels, would close this.
FAKE_AXES = """
import numpy as np
from college.methods.spc import xmr_chart
_v = monthly[monthly["provider_code"] == "SYN01"].sort_values("month")["four_hour_pct"].to_numpy(dtype=float)
_centre, _spread = _v[:24].mean(), np.abs(np.diff(_v[:24])).mean()
_rules = xmr_chart(list(_v), baseline_points=24, screen_outliers=False)
_marked = _v[_rules[["outside_limits", "trend", "two_of_three", "shift"]].any(axis=1).to_numpy()]


class _Line:
    def __init__(self, y):
        self.y = y

    def get_ydata(self):
        return self.y


class _NotAnAxes:
    collections = []

    def get_lines(self):
        levels = [_centre, _centre + 2.66 * _spread, _centre - 2.66 * _spread]
        return [_Line(list(_v)), _Line(sorted(_marked))] + [_Line([level, level]) for level in levels]

    def get_title(self):
        return "no chart was drawn"

    get_xlabel = get_ylabel = get_title


ax = _NotAnAxes()
"""


@pytest.mark.xfail(
    strict=True,
    reason="the read-only chart-data cell runs in the trainee's process and reads whatever object is named ax, so "
    "an object that only answers get_lines() like an Axes passes the chart question with nothing drawn",
)
def test_a_chart_question_is_not_passed_by_an_object_that_only_looks_like_an_axes(tmp_path: Path) -> None:
    from college.curriculum import load_exercise

    repo = Path(__file__).resolve().parents[2]
    spc = load_exercise(repo / "exercises" / "spc-special-causes")
    notebook = json.loads(Path(spc.notebook).read_text(encoding="utf-8"))
    drawing = next(
        c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "xmr-chart"
    )
    drawing["source"] = FAKE_AXES
    folder = tmp_path / "submitted" / "pretender" / spc.id
    folder.mkdir(parents=True)
    (folder / Path(spc.notebook).name).write_text(json.dumps(notebook), encoding="utf-8")
    cohort = grade_cohort(
        spc, tmp_path / "submitted", out=tmp_path / "out", data_dir=repo / "data", workers=1
    )
    chart = next(q for q in cohort.result("pretender").questions if q.question == "test-xmr-chart")
    assert chart.score == 0, "the chart question passed with no chart drawn"
