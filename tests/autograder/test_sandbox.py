"""The sandbox itself: what trainee code can and cannot do, and that nothing it starts outlives it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.sandbox.launcher import Isolation, Sandbox, _python_roots, protected_entries
from autograder.sandbox.limits import Limits
from autograder.sandbox.session import ChildSession, SandboxLost
from tests.autograder.helpers import DATA_DIR, EXERCISE_DIR, HIDDEN_TOKEN, processes_matching

LIMITS = Limits(cell_timeout=5, submission_timeout=60, memory_mb=256, processes=24)
QUICK = Limits(cell_timeout=2, submission_timeout=60, memory_mb=256, processes=24)
"""For cells meant to time out: the limit only changes how long the grader waits."""
MARKER = "971543"  # appears in the argv of processes trainee code leaves behind


def marked_processes() -> list[bytes]:
    return processes_matching(MARKER.encode())


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(limits=LIMITS, data_files=(DATA_DIR / "admissions.csv",)) as box:
        yield box


def run(sandbox: Sandbox, *cells: str, limits: Limits = LIMITS) -> tuple[list[object], ChildSession]:
    session = ChildSession(sandbox, limits)
    replies: list[object] = []
    try:
        for number, cell in enumerate(cells):
            replies.append(session.run(textwrap.dedent(cell), f"cell {number + 1}"))
    except SandboxLost as lost:
        replies.append(lost)
    session.close()
    return replies, session


def test_namespaces_are_in_use_here(sandbox: Sandbox) -> None:
    assert sandbox.isolation is Isolation.NAMESPACES, sandbox.fallback_reason


def test_cells_share_a_namespace_and_report_output_results_and_errors(sandbox: Sandbox) -> None:
    (first, second, third), _ = run(sandbox, "x = 41\nprint('hello')", "x + 1", "def f():\n    1 / 0\nf()")
    assert first.stdout == "hello\n" and second.result == "42"  # type: ignore[attr-defined]
    assert third.error.type == "ZeroDivisionError" and "<cell 3>" in third.error.traceback  # type: ignore[attr-defined]
    assert "child.py" not in third.error.traceback  # type: ignore[attr-defined]


def test_magics_and_data_files(sandbox: Sandbox) -> None:
    from autograder.cellsource import to_python

    (reply,), _ = run(
        sandbox, to_python("%matplotlib inline\nimport pandas as pd\nlen(pd.read_csv('data/admissions.csv'))")
    )
    assert reply.error is None and reply.result == "6"  # type: ignore[attr-defined]


def test_huge_output_is_capped(sandbox: Sandbox) -> None:
    (reply,), _ = run(sandbox, "print('x' * 20_000_000)\nimport os\nos.write(1, b'y' * 1_000_000)")
    assert len(reply.stdout) < LIMITS.output_chars + 500  # type: ignore[attr-defined]
    assert "more characters of output not kept" in reply.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("while True:\n    pass", "timeout"),
        (
            """
            import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                try:
                    time.sleep(0.1)
                except KeyboardInterrupt:
                    pass
            """,
            "timeout",
        ),
        ("import os\nos._exit(3)", "died"),
        ("import ctypes\nctypes.string_at(0)", "died"),
    ],
)
def test_a_lost_process_is_reported_and_the_next_one_works(sandbox: Sandbox, cell: str, kind: str) -> None:
    replies, session = run(sandbox, cell, limits=QUICK)
    assert isinstance(replies[-1], SandboxLost) and replies[-1].kind == kind
    assert session.exit is not None
    (after,), _ = run(sandbox, "1 + 1")
    assert after.result == "2"  # type: ignore[attr-defined]


def test_memory_is_limited(sandbox: Sandbox) -> None:
    (first, second), _ = run(
        sandbox, "hog = bytearray(4 * 1024**3)", "hog = []\nwhile True:\n    hog.append(bytearray(10**7))"
    )
    assert first.error.type == "MemoryError" and second.error.type == "MemoryError"  # type: ignore[attr-defined]


def test_fork_bombs_and_background_processes_do_not_outlive_the_submission(sandbox: Sandbox) -> None:
    _replies, session = run(
        sandbox,
        f"import subprocess\nsubprocess.Popen(['sleep', '{MARKER}'], start_new_session=True)",
        f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            os.execvp('sleep', ['sleep', '{MARKER}1'])
        """,
        "import os\nwhile True:\n    os.fork()",
    )
    assert session.exit is not None and session.exit.leftover >= 2
    assert marked_processes() == []
    (after,), _ = run(sandbox, "import os\nlen([p for p in os.listdir('/proc') if p.isdigit()])")
    assert int(after.result) <= 3  # type: ignore[attr-defined]  # bwrap's init, the zygote, this child


def test_no_network(sandbox: Sandbox) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    port = server.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            accepted.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    (reply,), _ = run(
        sandbox,
        f"""
        import socket
        results = []
        for address in [("127.0.0.1", {port}), ("1.1.1.1", 53), ("nhs.uk", 443)]:
            try:
                socket.create_connection(address, timeout=1).sendall(b"{HIDDEN_TOKEN}")
                results.append("connected")
            except OSError as error:
                results.append(type(error).__name__)
        results
        """,
    )
    thread.join()
    server.close()
    assert "connected" not in reply.result and accepted == []  # type: ignore[attr-defined]


def test_the_repository_hidden_tests_and_grader_are_out_of_sight(sandbox: Sandbox) -> None:
    secret_paths = [
        EXERCISE_DIR / "admissions-rates.ipynb",
        Path(__file__),
        Path.cwd() / "pyproject.toml",
        Path("/proc/1/environ"),
    ]
    (reply,), _ = run(
        sandbox,
        f"""
        import os
        seen = []
        for path in {[str(p) for p in secret_paths]!r}:
            try:
                open(path, 'rb').read(10)
                seen.append(path)
            except OSError:
                pass
        found = []
        import sys
        skip = (os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix))  # the interpreter, bound on purpose
        for top in ['/work', '/tmp', '/home', '/opt', '/root', '/etc']:
            for folder, dirs, files in os.walk(top):
                dirs[:] = [d for d in dirs if not os.path.realpath(os.path.join(folder, d)).startswith(skip)]
                for name in files:
                    try:
                        with open(os.path.join(folder, name), 'rb') as handle:
                            if b'{HIDDEN_TOKEN}' in handle.read(2_000_000):
                                found.append(os.path.join(folder, name))
                    except OSError:
                        pass
        (seen, found, os.getuid() != {os.getuid()}, sorted(os.listdir('data')))
        """,
    )
    assert reply.error is None, reply.error  # type: ignore[attr-defined]
    assert reply.result == "([], [], True, ['admissions.csv'])"  # type: ignore[attr-defined]


def test_files_written_by_one_submission_are_gone_for_the_next(sandbox: Sandbox) -> None:
    run(
        sandbox,
        "open('notes.txt', 'w').write('answers')\nopen('/tmp/x', 'w').write('answers')\nopen('/dev/shm/y', 'w').write('a')",
    )
    (reply,), _ = run(
        sandbox, "import os\nsorted(os.listdir('.')), os.listdir('/tmp'), os.listdir('/dev/shm')"
    )
    # Only the way to a read-only interpreter can remain in /tmp (when the virtual environment lives there).
    kept = sorted(
        Path(entry).name for entry in protected_entries(_python_roots()) if entry.startswith("/tmp/")
    )
    assert reply.result == f"(['data'], {kept}, [])"  # type: ignore[attr-defined]


def test_weaker_isolation_still_limits_and_says_so() -> None:
    with Sandbox(limits=LIMITS, data_files=(DATA_DIR / "admissions.csv",), isolation="none") as box:
        assert box.isolation is Isolation.RLIMITS_ONLY and "rlimits only" in box.describe()
        (reply,), _ = run(box, "import pandas as pd\nlen(pd.read_csv('data/admissions.csv'))")
        assert reply.result == "6"  # type: ignore[attr-defined]
        replies, _ = run(box, "while True:\n    pass", limits=QUICK)
        assert isinstance(replies[-1], SandboxLost) and replies[-1].kind == "timeout"
        replies, session = run(
            box, f"import subprocess\nsubprocess.Popen(['sleep', '{MARKER}2'], start_new_session=True)"
        )
        assert session.exit is not None and session.exit.leftover >= 1
    assert marked_processes() == []


UNPRIVILEGED_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from autograder.sandbox.launcher import Sandbox, Isolation
from autograder.sandbox.limits import Limits
from autograder.sandbox.session import ChildSession, SandboxLost
limits = Limits(cell_timeout=3, processes=16)
with Sandbox(limits=limits, preload=(), isolation="namespaces") as box:
    assert box.isolation is Isolation.NAMESPACES
    session = ChildSession(box, limits)
    reply = session.run("import os\\nforks = 0\\ntry:\\n    while True:\\n        if os.fork() == 0:\\n            import time; time.sleep(60)\\n        forks += 1\\nexcept OSError:\\n    pass\\nforks", "bomb")
    print("forks", reply.result)
    print("exit", session.close())
"""


@pytest.fixture
def readable_by_everyone() -> Iterator[Path]:
    """A folder every user can read (pytest's own temporary folders are private to their owner)."""
    folder = Path(tempfile.mkdtemp(prefix="readable-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv") or not Path("/usr/bin/python3").exists(),
    reason="needs root (to switch to an ordinary user), setpriv and a system Python",
)
def test_an_ordinary_user_gets_a_user_namespace_with_a_process_limit(readable_by_everyone: Path) -> None:
    """Run as an ordinary user (uid 65534) from a copy of the package that user can read: the checkout itself may
    sit in a private folder (``mktemp -d`` makes them mode 0700), which is no business of this test."""
    readable = readable_by_everyone
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "autograder",
        readable / "autograder",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for folder in (readable, *[p for p in readable.rglob("*") if p.is_dir()]):
        folder.chmod(0o755)
    for file in readable.rglob("*"):
        if file.is_file():
            file.chmod(0o644)
    root = str(readable)
    completed = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "/usr/bin/python3",
            "-c",
            UNPRIVILEGED_SCRIPT.format(root=root),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/tmp",
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    forks = int(completed.stdout.split("forks ")[1].split()[0])
    assert forks < 16
    assert "leftover=" in completed.stdout
    assert sys.executable  # the test ran with the grader's own Python


def test_the_bubblewrap_command_suits_older_versions() -> None:
    from autograder.sandbox.launcher import bwrap_command, bwrap_version

    current, _ = bwrap_command("/usr/bin/bwrap", 3, (), None, (0, 8, 0))
    older, _ = bwrap_command("/usr/bin/bwrap", 3, (), None, (0, 6, 1))
    assert "--disable-userns" in current and "--size" in current
    assert "--disable-userns" not in older and "--size" not in older
    as_root, _ = bwrap_command("/usr/bin/bwrap", 3, (), 2_000_000_123)
    assert "--unshare-user" not in as_root and as_root[as_root.index("--cap-drop") + 1] == "ALL"
    if shutil.which("bwrap"):
        assert bwrap_version(shutil.which("bwrap") or "") >= (0, 5)


def test_without_namespaces_the_standard_library_still_imports() -> None:
    """With limits only, trainee code keeps access to the interpreter even if it lives in a private folder."""
    limits = Limits(cell_timeout=10)
    with Sandbox(limits=limits, isolation="none") as box:
        reply = ChildSession(box, limits).run(
            "import statistics, fractions\nstatistics.median([1, 2, 3])", "stdlib"
        )
    assert reply.error is None, reply.error
    assert reply.result == "2"


def test_answers_still_arrive_when_the_trainee_has_used_up_the_process_limit(sandbox: Sandbox) -> None:
    """The grader's own work in the sandbox (encoding a data frame for the test) starts no thread or process,
    so a trainee who has spent the process limit on background processes still has their answers checked."""
    session = ChildSession(sandbox, LIMITS)
    try:
        reply = session.run(
            textwrap.dedent(
                """
                import os, time
                import pandas as pd
                forks = 0
                try:
                    while True:
                        if os.fork() == 0:
                            time.sleep(60)
                            os._exit(0)
                        forks += 1
                except OSError:
                    pass
                frame = pd.DataFrame({"x": range(10_000), "y": [f"row {i}" for i in range(10_000)]})
                def total(data):
                    return int(data["x"].sum())
                forks
                """
            ),
            "spend the limit",
        )
        assert reply.error is None, reply.error
        assert 0 < int(reply.result) < LIMITS.processes
        fetched = session.fetch(["frame"])["frame"]
        assert fetched.kind == "value", fetched.why
        assert fetched.value.shape == (10_000, 2)  # type: ignore[union-attr]
        called = session.call("total", (fetched.value,), {})  # a frame decoded in the sandbox
        assert called.ok and called.value == sum(range(10_000)), called.error
    finally:
        session.close()


def one_run(sandbox: Sandbox, code: str) -> str:
    session = ChildSession(sandbox, LIMITS)
    try:
        reply = session.run(textwrap.dedent(code), "probe")
        assert reply.error is None, reply.error
        return reply.result
    finally:
        session.close()


RISKY_CALLS = {
    "a new user namespace": "libc.unshare(0x10000000)",
    "a new mount namespace": "libc.unshare(0x00020000)",
    "clone with a new network namespace": "libc.syscall(56, 0x40000000 | 17, 0, 0, 0, 0)",
    "a kernel key": "libc.syscall(248, b'user', b'left-for-the-next', b'secret', 6, -2)",
    "a System V message queue": "libc.msgget(0, 0o1600)",
    "a POSIX message queue": "libc.syscall(240, b'/left', 0o100 | 2, 0o600, None)",
    "tracing": "libc.ptrace(16, 1, 0, 0)",
    "a mount": "libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)",
}


@pytest.mark.parametrize("call", RISKY_CALLS.values(), ids=RISKY_CALLS.keys())
def test_system_calls_grading_never_needs_are_refused(sandbox: Sandbox, call: str) -> None:
    if sandbox.isolation is not Isolation.NAMESPACES or "seccomp filter" not in sandbox.describe():
        pytest.skip(f"no seccomp here: {sandbox.describe()}")
    result = one_run(
        sandbox,
        f"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        outcome = {call}
        (outcome, os.strerror(ctypes.get_errno()))
        """,
    )
    assert result.startswith("(-1, "), result
    assert "Operation not permitted" in result or "Function not implemented" in result, result


def test_ordinary_process_work_still_runs_under_the_filter(sandbox: Sandbox) -> None:
    result = one_run(
        sandbox,
        """
        import subprocess, multiprocessing, os
        out = subprocess.run(["echo", "fine"], capture_output=True, text=True).stdout.strip()
        pid = os.fork()
        if pid == 0:
            os._exit(3)
        _, status = os.waitpid(pid, 0)
        (out, os.waitstatus_to_exitcode(status))
        """,
    )
    assert result == "('fine', 3)"


@pytest.mark.skipif(os.geteuid() != 0, reason="a user per submission needs the grader to run as root")
def test_each_submission_runs_as_a_user_of_its_own(sandbox: Sandbox) -> None:
    users = {one_run(sandbox, "import os\nos.getuid()") for _ in range(3)}
    assert len(users) == 3 and all(int(user) >= 2_000_000_000 for user in users)


def test_what_one_submission_hides_in_folders_it_locked_is_gone_for_the_next(sandbox: Sandbox) -> None:
    one_run(
        sandbox,
        """
        import os
        home = os.path.expanduser("~")
        os.makedirs(f"{home}/deep/a/b/c")
        open(f"{home}/deep/a/b/c/secret.txt", "w").write("for the next trainee")
        for folder in ("deep/a/b/c", "deep/a/b", "deep/a", "deep"):
            os.chmod(f"{home}/{folder}", 0)
        os.makedirs("/tmp/" + "/".join(["n"] * 300))
        os.chmod("/tmp/n", 0o500)
        True
        """,
    )
    left = one_run(sandbox, "import os\nsorted(os.listdir(os.path.expanduser('~')) + os.listdir('/tmp'))")
    assert "deep" not in left and "'n'" not in left, left


def test_the_sandbox_cannot_read_the_host_paths_it_was_started_with(sandbox: Sandbox) -> None:
    result = one_run(
        sandbox,
        """
        import os
        seen = []
        for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
            try:
                seen.append(open(f"/proc/{pid}/cmdline", "rb").read().decode("utf-8", "replace"))
            except OSError:
                pass
        " | ".join(seen)
        """,
    )
    assert str(DATA_DIR) not in result, result


def test_clearing_up_is_skipped_only_when_nothing_is_left(tmp_path: Path) -> None:
    """The zygote forks a process to clear up as the trainee only when its writable folders hold something
    (or System V IPC objects exist); the test for "nothing left" must see whatever clearing up would delete."""
    from autograder.sandbox.zygote import _anything_left, _empty, _sysv_ipc_left

    folder = tmp_path / "home"
    folder.mkdir()
    assert not _anything_left(str(folder), ())
    assert not _anything_left(str(tmp_path / "missing"), ())
    (folder / "data").mkdir()
    assert not _anything_left(str(folder), (str(folder / "data"),))  # the data is kept
    (folder / ".hidden").write_text("answers")
    assert _anything_left(str(folder), (str(folder / "data"),))
    _empty(str(folder), (str(folder / "data"),))
    assert not _anything_left(str(folder), (str(folder / "data"),))
    locked = folder / "locked"
    locked.mkdir(mode=0)
    assert _anything_left(str(folder), ())
    _empty(str(folder), ())
    assert not _anything_left(str(folder), ())
    assert isinstance(_sysv_ipc_left(), bool)


def test_files_left_in_every_writable_folder_are_gone_for_the_next(sandbox: Sandbox) -> None:
    for where in ("/tmp", "/dev/shm", "/home/trainee"):
        run(sandbox, f"import os\nos.makedirs('{where}/deep/er')\nopen('{where}/deep/er/.x', 'w').write('a')")
        (reply,), _ = run(sandbox, f"import os\nos.path.exists('{where}/deep')")
        assert reply.result == "False", where  # type: ignore[attr-defined]
