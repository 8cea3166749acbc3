"""Tests run in the grader: values arrive as data, functions are called in the sandbox, verdicts stay honest."""

from __future__ import annotations

import signal
import textwrap
import time
from collections.abc import Iterator

import pytest

from autograder.cellsource import free_names
from autograder.exercise import Question, split_segments
from autograder.models import TestVerdict
from autograder.sandbox.launcher import Sandbox
from autograder.sandbox.limits import Limits
from autograder.sandbox.session import ChildSession
from autograder.verdict import LiveSession, TestContext, TestOutcome, run_hidden, run_test, tutor_namespace

LIMITS = Limits(cell_timeout=5, submission_timeout=60, memory_mb=256)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(limits=LIMITS) as box:
        yield box


def question(source: str, points: float = 1.0) -> Question:
    source = textwrap.dedent(source)
    return Question("q", points, source, source, split_segments(source, "test"))


def verdicts(
    sandbox: Sandbox, trainee: str, *tests: str, imports: tuple[str, ...] = (), limits: Limits = LIMITS
) -> list[TestOutcome]:
    session = ChildSession(sandbox, limits)
    try:
        reply = session.run(textwrap.dedent(trainee), "answer")
        assert reply.error is None, reply.error
        context = TestContext(tutor_namespace(imports))
        carried: dict[str, object] = {}
        live = LiveSession(session)
        outcomes = [run_test(question(test), live, context, carried) for test in tests]
        return [run_hidden(o.pending, context) if o.pending is not None else o for o in outcomes]
    finally:
        session.close()


def test_free_names_follow_statement_order_and_skip_builtins() -> None:
    assert free_names("answer = answer.strip()\nassert len(answer) == 3 and all(x for x in answer)") == (
        "answer",
    )
    assert free_names("import numpy as np\nassert np.isclose(rate, expected)\nexpected = 1") == (
        "rate",
        "expected",
    )
    assert free_names("def check(v):\n    return v > limit\nassert all(check(r) for r in rates)") == (
        "limit",
        "rates",
    )


def test_functions_are_called_in_the_sandbox_with_data_and_errors_come_back_as_builtins(
    sandbox: Sandbox,
) -> None:
    trainee = """
    import pandas as pd
    def per_1000(events, population):
        if population <= 0:
            raise ValueError("population must be positive")
        return events / population * 1000
    def totals(frame):
        return frame.groupby("org")["n"].sum()
    """
    test = """
    import pandas as pd
    assert per_1000(5, 1000) == 5.0
    try:
        per_1000(1, 0)
    except ValueError as error:
        assert "positive" in str(error)
    else:
        raise AssertionError("no error")
    result = totals(pd.DataFrame({"org": ["a", "b", "a"], "n": [1, 2, 3]}))
    pd.testing.assert_series_equal(result, pd.Series({"a": 4, "b": 2}, name="n").rename_axis("org"))
    """
    (outcome,) = verdicts(sandbox, trainee, test)
    assert outcome.passed, outcome.message


def test_failures_show_visible_messages_and_only_the_names_of_hidden_tests(sandbox: Sandbox) -> None:
    tests = (
        "assert answer == 3",
        'assert answer == 5, "answer should be 5"',
        "assert answer == 2\n### BEGIN HIDDEN TESTS\n# hidden: the secret check\nassert answer == 99, 'secret 99'\n### END HIDDEN TESTS",
    )
    bare, message, hidden = verdicts(sandbox, "answer = 2", *tests)
    assert bare.message == "this check failed: assert answer == 3"
    assert message.message == "answer should be 5"
    assert hidden.message == "hidden check 'the secret check' failed" and "99" not in hidden.message
    assert [(h.name, h.verdict) for h in hidden.hidden] == [("the secret check", TestVerdict.FAILED)]


def test_partial_credit_and_names_defined_by_earlier_tests(sandbox: Sandbox) -> None:
    first, second = verdicts(
        sandbox,
        "answer = [1, 2, 3]\ndef helper():\n    return 'trainee'",
        "def helper():\n    return 'tutor'\nscore = sum(1 for x in answer if x > 1)\nscore / 2",
        "assert helper() == 'tutor'",
    )
    assert first.passed and first.score == 1.0  # 2 / 2 = 1.0 of 1 point
    assert second.passed  # the tutor's helper, not the trainee's


def test_tutor_imports_win_over_what_the_trainee_rebinds(sandbox: Sandbox) -> None:
    trainee = """
    import pandas as pd
    pd = None
    assert_frame_equal = lambda *a, **k: None
    frame = __import__("pandas").DataFrame({"a": [1]})
    """
    (outcome,) = verdicts(
        sandbox,
        trainee,
        "assert_frame_equal(frame, pd.DataFrame({'a': [2]}))",
        imports=("import pandas as pd", "from pandas.testing import assert_frame_equal"),
    )
    assert not outcome.passed and "different" in outcome.message


def test_objects_that_cannot_be_moved_fail_clearly(sandbox: Sandbox) -> None:
    trainee = """
    class Always:
        def __eq__(self, other):
            return True
    answer = Always()
    make = lambda: Always()
    """
    direct, returned = verdicts(sandbox, trainee, "assert answer == 42", "assert make() == 42")
    assert not direct.passed and "Always" in direct.message and "cannot be checked" in direct.message
    assert not returned.passed and "returned a Always" in returned.message


def test_a_function_that_hangs_when_called_ends_the_session(sandbox: Sandbox) -> None:
    trainee = "def slow(x):\n    while True:\n        pass"
    quick = Limits(cell_timeout=2, submission_timeout=60, memory_mb=256)
    (outcome,) = verdicts(sandbox, trainee, "try:\n    slow(1)\nexcept Exception:\n    pass", limits=quick)
    assert outcome.lost is not None and outcome.lost.kind == "timeout" and not outcome.passed


def timed_verdict(sandbox: Sandbox, trainee: str, test: str, seconds: float) -> TestOutcome:
    session = ChildSession(sandbox, LIMITS)
    try:
        assert session.run(textwrap.dedent(trainee), "answer").error is None
        context = TestContext(tutor_namespace(()), seconds=seconds)
        return run_test(question(test), LiveSession(session), context, {})
    finally:
        session.close()


@pytest.mark.parametrize(
    "test",
    [
        "while True:\n    pass",
        "while True:\n    try:\n        sum(range(10**6))\n    except Exception:\n        pass",
        "assert len(str(size ** size)) > 0",
    ],
    ids=["a-loop", "swallowing-exception", "a-value-made-to-be-slow"],
)
def test_test_code_that_runs_too_long_in_the_grader_fails_that_test(sandbox: Sandbox, test: str) -> None:
    """Test code is the tutor's, but the values it works on are the trainee's: a value built to make a check slow
    costs that check, not the cohort."""
    started = time.perf_counter()
    outcome = timed_verdict(sandbox, "size = 10**7", test, seconds=0.5)
    assert not outcome.passed and "0.5-second limit" in outcome.message
    assert time.perf_counter() - started < 10
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_spent_in_the_trainees_function_does_not_count_against_the_test(sandbox: Sandbox) -> None:
    trainee = "import time\ndef slow(x):\n    time.sleep(0.4)\n    return x"
    outcome = timed_verdict(sandbox, trainee, "assert [slow(i) for i in range(3)] == [0, 1, 2]", seconds=0.5)
    assert outcome.passed, outcome.message


USES_SQUARES = """
orig_squares = squares
del squares
try:
    sum_of_squares(2)
except NameError:
    pass
else:
    raise AssertionError("sum_of_squares does not use squares")
finally:
    squares = orig_squares
assert sum_of_squares(2) == 5
"""


@pytest.mark.parametrize(
    ("body", "passes"),
    [("return sum(squares(n))", True), ("return sum(i * i for i in range(1, n + 1))", False)],
)
def test_a_name_the_test_deletes_is_gone_for_the_trainees_functions_until_restored(
    sandbox: Sandbox, body: str, passes: bool
) -> None:
    trainee = (
        f"def squares(n):\n    return [i * i for i in range(1, n + 1)]\ndef sum_of_squares(n):\n    {body}\n"
    )
    (outcome,) = verdicts(sandbox, trainee, USES_SQUARES)  # nbgrader's ps1 test, as its kernel runs it
    assert outcome.passed is passes
    assert passes or "does not use squares" in outcome.message


def test_values_cached_for_later_tests_are_copied_afresh_for_each(sandbox: Sandbox) -> None:
    """A test's opening statements run once per grader; each later run gets its own copies, so a test that
    changes them (a flat lookup table copied one level down, or nested lists deep-copied) changes nothing for
    the next trainee."""
    test = question(
        """
        table = {"a": 1, "b": 2}
        row = [1, 2, 3]
        nested = [[1], [2]]
        assert table["a"] == 1 and row == [1, 2, 3] and nested[0] == [1], "a cached value was changed"
        table["a"] = 99
        row.append(4)
        nested[0].append(5)
        assert answer == 1
        """
    )
    context = TestContext(tutor_namespace(()))
    for _ in range(3):
        session = ChildSession(sandbox, LIMITS)
        try:
            session.run("answer = 1", "answer")
            outcome = run_test(test, LiveSession(session), context, {})
        finally:
            session.close()
        assert outcome.passed, outcome.message
    assert context.prefixes and context.flat == {next(iter(context.prefixes)): frozenset({"table", "row"})}
