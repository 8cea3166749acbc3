"""Step 3b, verdicts: run a test cell in the grader's own interpreter, never in the trainee's process.

Each name the test reads from the trainee's notebook is bound to a copy of a plain value (moved as data), to a
real module (imported here), or, for a function, to a :class:`TraineeFunction` that sends its arguments into the
sandbox, calls the trainee's function there, and brings the result back as data. Anything else is bound to an
:class:`Unavailable` that fails any use with a clear message. So an answer whose ``__eq__`` always returns True,
or a patched ``assert_frame_equal``, never takes part in deciding the verdict.

Names the tutor's own cells import (``import pandas as pd`` in a set-up cell, say) are always the grader's real
modules, whatever the trainee rebinds them to; so are names defined by earlier test cells.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import importlib
import io
import linecache
import signal
import sys
import threading
import traceback
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from autograder.cellsource import bound_names, free_names
from autograder.exercise import CellRole, ExerciseSpec, Question
from autograder.models import HiddenTestResult, TestVerdict
from autograder.sandbox.session import ChildSession, ErrorInfo, Fetched, SandboxLost, Unchangeable

MESSAGE_LIMIT = 2_000
OUTPUT_LIMIT = 5_000
SAFE_MODULE_ROOTS = frozenset(
    {
        "math", "statistics", "datetime", "decimal", "fractions", "re", "json", "collections", "itertools",
        "functools", "operator", "string", "random", "numpy", "pandas", "pyarrow", "scipy", "matplotlib",
        "calendar", "zoneinfo", "typing", "dataclasses", "enum", "textwrap", "unicodedata",
    }
)  # fmt: skip
"""Modules a trainee's namespace may name that the grader will import for a test (others stay unavailable)."""


class TraineeValueError(Exception):
    """A test used a value from the trainee's notebook that could not be moved to the grader."""


class TraineeCodeError(Exception):
    """The trainee's function raised an exception that is not one of Python's built-in ones."""


class TestTimeLimit(BaseException):
    """A test cell ran past the grader's time limit for test code (the trainee's calls from it not counted).

    A BaseException, so a test's ``except Exception`` cannot swallow it, and the alarm repeats until the test
    stops. (Test code is the tutor's; what it is made slow by is the trainee's values.)"""

    __test__ = False


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop test code that runs in the grader for longer than ``seconds`` (main thread only: a grading worker)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(*_: object) -> None:
        raise TestTimeLimit(f"the check ran past the grader's {seconds:g}-second limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        _disarm(previous)


def _disarm(handler: Any) -> None:
    """Stop the repeating alarm and restore ``handler``, even if the alarm fires while this runs."""
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, handler)
            return
        except TestTimeLimit:
            continue


@contextlib.contextmanager
def _clock_paused() -> Iterator[None]:
    """The test's time limit does not run while the trainee's function runs (the sandbox has its own limit), and
    cannot fire in the middle of an exchange with the sandbox."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining, interval = signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining, interval)


class SessionGone(BaseException):
    """The trainee's process was lost during a call from a test. A BaseException, so ``except Exception`` in a
    test cannot swallow it and pass."""

    def __init__(self, lost: SandboxLost) -> None:
        self.lost = lost
        super().__init__(lost.detail)


class Unavailable:
    """Stands for a trainee value the grader cannot receive: every use fails, saying why."""

    __slots__ = ("_description",)

    def __init__(self, description: str) -> None:
        object.__setattr__(self, "_description", description)

    def _fail(self, *_: object, **__: object) -> Any:
        raise TraineeValueError(object.__getattribute__(self, "_description"))

    def __getattr__(self, _: str) -> Any:
        self._fail()

    def __repr__(self) -> str:
        return f"<unavailable: {object.__getattribute__(self, '_description')}>"

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __hash__ = __bool__ = __len__ = __iter__ = __contains__ = __getitem__ = __call__ = _fail
    __float__ = __int__ = __index__ = __abs__ = __neg__ = __round__ = _fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _fail
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _fail
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = __array__ = _fail


ITERATION_SIGNALS = (StopIteration, StopAsyncIteration)
"""Built-in exceptions that end a loop rather than fail it: rebuilt in a test, one raised by the trainee's function
inside ``all(map(...))`` (or ``iter(f, sentinel)``, ``zip``) would end the tutor's loop early and pass it. They come
back as a RuntimeError, as PEP 479 does for a StopIteration escaping a generator."""


def _rebuild_error(error: ErrorInfo | None, function: str) -> BaseException:
    if error is None:
        return TraineeCodeError(f"{function}() failed")
    kind = getattr(builtins, error.type, None) if error.builtin else None
    if isinstance(kind, type) and issubclass(kind, ITERATION_SIGNALS):
        return RuntimeError(f"{function}() raised {error.type}: {error.message}")
    if isinstance(kind, type) and issubclass(kind, Exception) and kind.__module__ == "builtins":
        try:
            return kind(error.message)
        except Exception:
            pass
    return TraineeCodeError(f"{function}() raised {error.type}: {error.message}")


@dataclass
class CallLog:
    """What the trainee's functions printed while the visible tests called them.

    Sealed once the hidden checks begin: nothing printed during a call made from a hidden check is kept."""

    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    sealed: bool = False

    def add(self, stdout: str, stderr: str) -> None:
        if self.sealed:
            return
        if stdout:
            self.stdout.append(stdout)
        if stderr:
            self.stderr.append(stderr)


class LiveSession:
    """The trainee's current process. Replaced when grading has to start it again (to finish hidden checks
    after the process was lost), so every :class:`TraineeFunction` follows it."""

    def __init__(self, session: ChildSession) -> None:
        self.current = session


class TraineeFunction:
    """A test's handle on a function from the trainee's notebook; calling it runs it in the sandbox."""

    def __init__(self, session: LiveSession, name: str, type_name: str, log: CallLog) -> None:
        self._session = session
        self._name = name
        self._type_name = type_name
        self._log = log
        self._scope: tuple[dict[str, Any], tuple[str, ...]] = ({}, ())
        """The test's namespace and the trainee's names bound in it: those the test deletes (``del squares``)
        are hidden from the trainee's globals while this function runs, as they would be in nbgrader's kernel."""

    def __call__(self, *args: object, **kwargs: object) -> object:
        namespace, names = self._scope
        hide = tuple(name for name in names if name not in namespace)
        try:
            with _clock_paused():
                reply = self._session.current.call(self._name, args, kwargs, hide)
        except SandboxLost as lost:
            raise SessionGone(lost) from None
        self._log.add(reply.stdout, reply.stderr)
        if reply.changed:
            _change_in_place(self._name, args, kwargs, reply.changed)
        if not reply.ok:
            raise _rebuild_error(reply.error, self._name)
        if reply.opaque is not None:
            return Unavailable(
                f"{self._name}() returned a {reply.opaque.type_name}, which cannot be checked: {reply.opaque.why}"
            )
        return reply.value

    def __repr__(self) -> str:
        return f"<your {self._type_name} {self._name}>"


def _change_in_place(
    name: str, args: tuple[object, ...], kwargs: dict[str, object], changed: dict[str, object]
) -> None:
    """Make the changes the trainee's function made to its arguments in the sandbox to the test's own objects, as
    a call in one process would have: a test that checks a function leaves its input alone (or changes it as
    asked) then sees what the function did. Objects that cannot change (numbers, text, tuples) never appear here."""
    for key, new in changed.items():
        if key.startswith("="):
            original = kwargs.get(key[1:])
        elif key.isdigit() and int(key) < len(args):
            original = args[int(key)]
        else:
            continue
        if isinstance(new, Unchangeable):
            raise TypeError(
                f"{name}() changed an argument in place into something that cannot be checked: {new.why}"
            )
        _replace_contents(name, original, new)


def _replace_contents(name: str, original: object, new: object) -> None:
    import numpy as np
    import pandas as pd

    if isinstance(original, list) and isinstance(new, list):
        original[:] = new
    elif (isinstance(original, dict) and isinstance(new, dict)) or (
        isinstance(original, set) and isinstance(new, set)
    ):
        original.clear()
        original.update(new)
    elif isinstance(original, pd.DataFrame | pd.Series) and type(new) is type(original):
        original._update_inplace(new)  # type: ignore[operator]  # what pandas' own inplace=True operations do
    elif isinstance(original, np.ndarray) and isinstance(new, np.ndarray) and new.shape == original.shape:
        original[...] = new
    else:
        raise TypeError(
            f"{name}() changed its {type(original).__name__} argument in a way the test cannot see "
            f"(it became a {type(new).__name__})"
        )


def answer_names(spec: ExerciseSpec) -> frozenset[str]:
    """Every name the tutor's model answers bind at the top level of their cells."""
    names: set[str] = set()
    for cell in spec.cells:
        if cell.role is CellRole.SOLUTION:
            try:
                statements = ast.parse(cell.source).body
            except SyntaxError:
                continue
            for statement in statements:
                names |= bound_names(statement)
    return frozenset(names)


def tutor_namespace(imports: tuple[str, ...]) -> dict[str, Any]:
    """The namespace every test starts from: built-ins and the tutor's own imports, run in the grader."""
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    for statement in imports:
        try:
            exec(compile(statement, "<tutor imports>", "exec"), namespace)
        except Exception as error:
            # Not the trainee's binding in its place: whatever they call it would then decide the tests that
            # use it (their own "expected" values). Each name it binds fails any use, saying why.
            for name in _imported_names(statement):
                namespace.setdefault(
                    name,
                    Unavailable(
                        f"`{name}` comes from the tutor's `{statement}`, which failed in the grader "
                        f"({type(error).__name__})"
                    ),
                )
    return namespace


def _imported_names(statement: str) -> list[str]:
    """The names an import statement binds (``import a.b`` binds ``a``; ``from m import *`` none we can know)."""
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return []
    return [
        (alias.asname or alias.name).split(".")[0]
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
        if alias.name != "*"
    ]


def _module(name: str) -> object | None:
    if name in sys.modules:
        return sys.modules[name]
    if name.split(".")[0] not in SAFE_MODULE_ROOTS:
        return None
    try:
        return importlib.import_module(name)
    except Exception:
        return None


def bind(name: str, fetched: Fetched, session: LiveSession, log: CallLog) -> object | None:
    """The grader-side object a test sees for one of the trainee's names (None: leave it unbound)."""
    if fetched.kind == "value":
        return fetched.value
    if fetched.kind == "module":
        module = _module(str(fetched.value))
        return (
            module
            if module is not None
            else Unavailable(f"`{name}` is the module {fetched.value}, which tests cannot use")
        )
    if fetched.kind == "callable":
        return TraineeFunction(session, name, fetched.type_name, log)
    if fetched.kind == "opaque":
        return Unavailable(f"`{name}` is a {fetched.type_name}, which cannot be checked: {fetched.why}")
    return None


@lru_cache(maxsize=256)
def reads(source: str) -> tuple[str, ...]:
    return free_names(source)


@dataclass(frozen=True)
class TestOutcome:
    __test__ = False

    passed: bool
    score: float
    message: str = ""
    """Why it failed, safe to show the trainee (nothing from hidden tests but their names)."""
    output: str = ""
    hidden: tuple[HiddenTestResult, ...] = ()
    lost: SandboxLost | None = None
    unavailable: tuple[str, ...] = ()
    pending: PendingHidden | None = None
    """Hidden checks still to run (the visible part passed): see :func:`run_hidden`."""
    hidden_lost: SandboxLost | None = None
    """The trainee's process was lost during a hidden check (never shown: it could carry hidden inputs)."""


def _failure_message(error: BaseException, filename: str, source: str) -> str:
    text = str(error).strip()
    if isinstance(error, AssertionError) and not text:
        lineno = next(
            (
                frame.lineno
                for frame in reversed(traceback.extract_tb(error.__traceback__))
                if frame.filename == filename
            ),
            None,
        )
        lines = source.splitlines()
        line = lines[lineno - 1].strip() if lineno and 0 < lineno <= len(lines) else ""
        return f"this check failed: {line}" if line else "an assertion failed"
    prefix = "" if isinstance(error, AssertionError) else f"{type(error).__name__}: "
    message = f"{prefix}{text}" if text else type(error).__name__
    return message if len(message) <= MESSAGE_LIMIT else message[:MESSAGE_LIMIT] + " [...]"


class TestContext:
    """What every test a grader runs starts from (built-ins and the tutor's imports), and that grader's own
    cache of each test stretch's trainee-independent opening statements. One per grader; nothing global."""

    __test__ = False

    def __init__(
        self, namespace: dict[str, Any], seconds: float = 0.0, answers: frozenset[str] = frozenset()
    ) -> None:
        self.seconds = seconds
        """Wall-clock limit for one test cell's code in the grader (0: none)."""
        self.answers = answers
        """Names the tutor's model answers bind (:func:`answer_names`): a test that has not yet set one of them
        leaves it the trainee's, since the trainee's answer may set it after that test."""
        self.namespace = namespace
        self.names = frozenset(namespace)
        self.shapes: dict[tuple[str, str], tuple[int, tuple[str, ...]]] = {}
        self.prefixes: dict[tuple[str, str], dict[str, Any] | None] = {}
        self.flat: dict[tuple[str, str], frozenset[str]] = {}
        """For each cached stretch, the names of its values that :func:`_flat` holds for."""


@lru_cache(maxsize=512)
def _statements(source: str, filename: str) -> tuple[ast.stmt, ...]:
    return tuple(ast.parse(source, filename).body)


def _binds_names_only(statement: ast.stmt) -> set[str] | None:
    """The names a plain binding statement sets (``x = ...``, ``import ...``), or None for anything else."""
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names if alias.name != "*"}
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = list(statement.targets)
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets = [statement.target]
    else:
        return None
    names: set[str] = set()
    for target in targets:
        elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
        if not all(isinstance(element, ast.Name) for element in elements):
            return None
        names |= {element.id for element in elements if isinstance(element, ast.Name)}
    return names


def _pure_prefix(statements: tuple[ast.stmt, ...], tutor: frozenset[str]) -> tuple[int, tuple[str, ...]]:
    """How many opening statements depend only on the tutor's imports and data, and the names they bind.

    Those statements (``frame = pd.read_csv("data/...")``, ``expected = ...``) give the same values for every
    trainee, so a worker runs them once and hands each later test a deep copy, as nbgrader would recompute them.
    """
    known = set(tutor)
    bound: list[str] = []
    count = 0
    for statement in statements:
        names = _binds_names_only(statement)
        if names is None or not set(free_names(ast.unparse(statement))) <= known:
            break
        known |= names
        bound.extend(names)
        count += 1
    return count, tuple(dict.fromkeys(bound))


IMMUTABLE = (int, float, complex, str, bytes, bool, type(None))
"""Exact types whose values cannot change, so a copy may share them (``copy.deepcopy`` shares them too)."""


def _immutable(value: object) -> bool:
    if type(value) in IMMUTABLE:
        return True
    numpy = sys.modules.get("numpy")  # NumPy's scalars (np.int64 from a data frame, say) are immutable too
    return numpy is not None and isinstance(value, numpy.number | numpy.bool_ | numpy.datetime64)


def _flat(value: object) -> bool:
    """Whether ``value`` is a flat list, dict or tuple of immutable values (a lookup table built from the data,
    say): then a copy one level down is what ``copy.deepcopy`` amounts to for it, many times faster."""
    kind = type(value)
    if kind is dict:
        return all(_immutable(key) and _immutable(item) for key, item in value.items())  # type: ignore[attr-defined]
    if kind is list or kind is tuple:
        return all(_immutable(item) for item in value)  # type: ignore[attr-defined]
    return False


def _fresh(value: object, flat: bool) -> object:
    """A deep copy of ``value`` (``flat`` as :func:`_flat` says of it)."""
    if flat:
        kind = type(value)
        return dict(value) if kind is dict else list(value) if kind is list else value  # type: ignore[call-overload]
    return copy.deepcopy(value)


def _copies(values: dict[str, Any], flat: frozenset[str] | None = None) -> dict[str, Any] | None:
    """Fresh copies of the values (modules, classes and functions are shared), or None if one cannot be copied.
    ``flat`` names the values already known to be flat (cached values, which no test ever sees, stay so)."""
    copies: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, types.ModuleType | type | types.FunctionType | types.BuiltinFunctionType):
            copies[name] = value
            continue
        try:
            copies[name] = _fresh(value, name in flat if flat is not None else _flat(value))
        except Exception:  # something that cannot be copied: do not cache this stretch
            return None
    return copies


def _exec(statements: list[ast.stmt], filename: str, namespace: dict[str, Any]) -> None:
    if statements:
        exec(compile(ast.Module(body=statements, type_ignores=[]), filename, "exec"), namespace)


def _run_segment(
    source: str,
    filename: str,
    namespace: dict[str, Any],
    last: bool,
    context: TestContext,
    key: tuple[str, str],
) -> object:
    """Run a stretch of test code; for the cell's last stretch, return the value its last line shows."""
    body = list(_statements(source, filename))
    shown = body.pop() if last and body and isinstance(body[-1], ast.Expr) else None
    if key not in context.shapes:
        context.shapes[key] = _pure_prefix(tuple(body), context.names)
    count, names = context.shapes[key]
    if count:
        cached = context.prefixes.get(key)
        fresh = _copies(cached, context.flat.get(key, frozenset())) if cached is not None else None
        if fresh is not None:
            namespace.update(fresh)
        else:
            _exec(body[:count], filename, namespace)
            if key not in context.prefixes:
                context.prefixes[key] = _copies(
                    {name: namespace[name] for name in names if name in namespace}
                )
                stored = context.prefixes[key]
                if stored is not None:
                    context.flat[key] = frozenset(name for name, value in stored.items() if _flat(value))
        body = body[count:]
    _exec(body, filename, namespace)
    if not isinstance(shown, ast.Expr):
        return None
    return eval(compile(ast.Expression(shown.value), filename, "eval"), namespace)


def _partial_score(value: object, points: float) -> float | None:
    """nbgrader's partial credit: a number the test cell shows last (0 to points) is the score."""
    if type(value) in (int, float) and 0 <= value <= points:  # type: ignore[operator]
        return float(value)  # type: ignore[arg-type]
    return None


def _capped(parts: list[str]) -> str:
    text = "".join(parts)
    return text if len(text) <= OUTPUT_LIMIT else text[:OUTPUT_LIMIT] + "\n[... output shortened]"


@dataclass
class PendingHidden:
    """A question whose visible checks passed and whose hidden checks wait for the end of the notebook.

    Hidden checks run only after the trainee's last cell, so nothing a hidden check hands the trainee's code (its
    inputs) can come back in anything the trainee sees: no later cell runs, what the calls print is dropped, and
    only each hidden check's name and verdict are kept."""

    question: Question
    namespace: dict[str, Any]
    start: int
    """Index of the question's first hidden segment: it and every segment after it run in the hidden phase."""
    output: str
    unavailable: tuple[str, ...]


def _run_one(
    question: Question, number: int, namespace: dict[str, Any], context: TestContext
) -> tuple[object, str, BaseException | None]:
    """Run segment ``number`` of a test; the value its last line shows, what it printed, and what it raised."""
    segment = question.segments[number]
    filename = f"<test {question.grade_id} part {number + 1}>"
    linecache.cache[filename] = (len(segment.source), None, segment.source.splitlines(True), filename)
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with (
            _time_limit(context.seconds),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")  # a warning never costs a mark (nbgrader's stderr rule)
            shown = _run_segment(
                segment.source,
                filename,
                namespace,
                number == len(question.segments) - 1,
                context,
                (question.grade_id, segment.source),
            )
    except SessionGone:
        raise
    except (Exception, TestTimeLimit) as error:
        return None, stdout.getvalue(), error
    return shown, stdout.getvalue(), None


def _hidden_names(question: Question, start: int) -> list[str]:
    return [segment.name for segment in question.segments[start:] if segment.hidden]


def _carry(
    question: Question,
    namespace: dict[str, Any],
    fetched: dict[str, Fetched],
    context: TestContext,
    carried: dict[str, Any],
) -> None:
    """Keep what a test defined for later tests, so the tutor's names win over the trainee's.

    Whether or not its visible part passed: a trainee who fails a test on purpose must not have a later test read
    their own ``expected`` in place of the one that test set. A name the cell binds only in code that has not run
    (a hidden block, which waits for the end of the notebook, or lines after a failed check) is not the trainee's
    either: later tests find it unavailable, saying why."""
    for name, value in namespace.items():
        if name not in context.names and name not in fetched and not name.startswith("__"):
            carried[name] = value
    for segment in question.segments:
        try:
            statements = _statements(segment.source, f"<test {question.grade_id}>")
        except SyntaxError:
            continue
        for statement in statements:
            for name in bound_names(statement):
                if name in carried or name in fetched or name in context.names or name in context.answers:
                    continue
                if name.startswith("__"):
                    continue
                carried[name] = Unavailable(
                    f"`{name}` is set by the test cell '{question.grade_id}' in code that had not run yet "
                    "(a hidden check, which runs after the last cell, or lines after a failed check)"
                )


def run_test(
    question: Question, session: LiveSession, context: TestContext, carried: dict[str, Any]
) -> TestOutcome:
    """Run the visible part of one test cell against the trainee's notebook state, as the cell's turn comes.

    ``carried`` keeps names earlier tests defined. If the cell has hidden checks and its visible part passed, the
    outcome is provisional: its ``pending`` part is finished by :func:`run_hidden` after the last cell.
    """
    known = context.names | carried.keys()
    wanted = [name for name in reads(question.source) if name not in known]
    log = CallLog()
    try:
        fetched = session.current.fetch(wanted)
    except SandboxLost as lost:
        return TestOutcome(False, 0.0, lost.detail, lost=lost)
    namespace: dict[str, Any] = {**context.namespace, **carried}
    unavailable: list[str] = []
    for name, item in fetched.items():
        bound = bind(name, item, session, log)
        if bound is not None:
            namespace[name] = bound
            if isinstance(bound, Unavailable):
                unavailable.append(repr(bound)[len("<unavailable: ") : -1])
    trainee_names = tuple(name for name, item in fetched.items() if item.kind != "missing")
    for value in namespace.values():
        if isinstance(value, TraineeFunction):
            value._scope = (namespace, trainee_names)
    segments = question.segments
    start = next((number for number, segment in enumerate(segments) if segment.hidden), len(segments))
    output: list[str] = []
    score: float | None = None
    for number in range(start):
        try:
            shown, printed, error = _run_one(question, number, namespace, context)
        except SessionGone as gone:
            return TestOutcome(False, 0.0, gone.lost.detail, lost=gone.lost)
        output.append(printed)
        if error is not None:
            _carry(question, namespace, fetched, context, carried)
            filename = f"<test {question.grade_id} part {number + 1}>"
            output.extend(log.stdout)
            hidden = tuple(
                HiddenTestResult(name=n, verdict=TestVerdict.NOT_RUN) for n in _hidden_names(question, 0)
            )
            return TestOutcome(
                False,
                0.0,
                _failure_message(error, filename, segments[number].source),
                _capped(output),
                hidden,
                unavailable=tuple(unavailable),
            )
        score = _partial_score(shown, question.points)
    _carry(question, namespace, fetched, context, carried)
    output.extend(log.stdout)
    log.sealed = True
    if start < len(segments):
        pending = PendingHidden(question, namespace, start, _capped(output), tuple(unavailable))
        return TestOutcome(True, 0.0, "", pending.output, unavailable=pending.unavailable, pending=pending)
    return TestOutcome(
        True,
        question.points if score is None else score,
        "",
        _capped(output),
        (),
        unavailable=tuple(unavailable),
    )


def run_hidden(pending: PendingHidden, context: TestContext) -> TestOutcome:
    """Finish a question's hidden checks (after the trainee's last cell). Only names and verdicts come out: no
    message, no output, nothing the trainee's code returned or raised."""
    question = pending.question
    results: list[HiddenTestResult] = []
    failed = False
    score: float | None = None
    lost: SandboxLost | None = None
    anonymous = 0
    for number in range(pending.start, len(question.segments)):
        segment = question.segments[number]
        name = segment.name
        if not segment.hidden:  # visible code after a hidden block: run with the hidden ones, verdict only
            anonymous += 1
            name = f"a visible check after the hidden ones ({anonymous})"
        if failed:
            results.append(HiddenTestResult(name=name, verdict=TestVerdict.NOT_RUN))
            continue
        try:
            shown, _, error = _run_one(question, number, pending.namespace, context)
        except SessionGone as gone:
            lost, error, shown = gone.lost, gone, None
        if error is not None:
            failed = True
            results.append(HiddenTestResult(name=name, verdict=TestVerdict.FAILED))
            if lost is not None:
                break
            continue
        results.append(HiddenTestResult(name=name, verdict=TestVerdict.PASSED))
        score = _partial_score(shown, question.points)
    if lost is not None:
        done = {result.name for result in results}
        results.extend(
            HiddenTestResult(name=n, verdict=TestVerdict.NOT_RUN)
            for n in _hidden_names(question, pending.start)
            if n not in done
        )
    if failed:
        names = [r.name for r in results if r.verdict is TestVerdict.FAILED]
        message = f"hidden check '{names[0]}' failed" if names else "a hidden check failed"
        return TestOutcome(
            False,
            0.0,
            message,
            pending.output,
            tuple(results),
            unavailable=pending.unavailable,
            hidden_lost=lost,
        )
    return TestOutcome(
        True,
        question.points if score is None else score,
        "",
        pending.output,
        tuple(results),
        unavailable=pending.unavailable,
    )
