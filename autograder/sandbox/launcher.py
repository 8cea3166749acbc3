"""Start a sandbox (bubblewrap namespaces where possible) with a zygote in it, and drive it from the grader.

Inside the sandbox the trainee's code sees: the system's ``/usr`` and the Python installation (read-only), the
exercise's data files (read-only, in ``data/``), an empty home folder and ``/tmp``. It has no network, its own
process table, no view of the repository, the source notebooks, the gradebook or any other submission. When
bubblewrap cannot be used, grading still runs, with the resource limits, and says loudly that isolation is weaker.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from autograder.sandbox.limits import Limits
from autograder.sandbox.protocol import ChannelClosed, ProtocolError, Timeout, recv_message, send_message

HOME = "/home/trainee"
GRADER_CODE = "/opt/college-grader"
WRITABLE = ("/tmp", "/dev/shm", HOME)
"""Folders the trainee's code may write to: each a fresh tmpfs, emptied between submissions."""
DEFAULT_PRELOAD = ("numpy", "pandas", "pyarrow", "pyarrow.ipc", "pyarrow.pandas_compat", "encodings.idna")
READY_SECONDS = 90.0
TMPFS_BYTES = 512 * 1024 * 1024
PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The autograder package, bound read-only into the sandbox so the zygote can run."""
UID_BASE = 2_000_000_000
"""Sandboxes started by root run trainee code as a user of their own, UID_BASE + the grader worker's pid."""

IsolationRequest = Literal["auto", "namespaces", "none"]


class Isolation(StrEnum):
    NAMESPACES = "namespaces"
    RLIMITS_ONLY = "rlimits-only"


WEAK_ISOLATION_WARNING = (
    "WARNING: isolation is weaker. bubblewrap (Linux namespaces) could not be used, so trainee code runs with "
    "resource limits only: it can read files your user can read (including hidden tests) and open network "
    "connections. Install bubblewrap ('sudo apt-get install bubblewrap') for full isolation."
)


class SandboxError(Exception):
    """The sandbox could not be started."""


@dataclass(frozen=True)
class ChildExit:
    """How the process that ran one submission ended."""

    exitcode: int | None
    signal: int | None
    killed: bool
    """True when the grader had to kill it (time limit, or it stopped answering)."""
    leftover: int
    """Processes it left behind that were killed (background jobs, fork bombs)."""


def project_packages() -> dict[str, Path]:
    """This project's packages, importable in the sandbox as a trainee's installed ``college`` would be.

    ``autograder`` runs the zygote; ``college`` holds the reference methods (``college.methods``) exercises may
    use. Neither holds exercises, hidden tests or submissions.
    """
    packages = {"autograder": PACKAGE_DIR}
    spec = importlib.util.find_spec("college")
    if spec is not None and spec.origin:
        packages["college"] = Path(spec.origin).resolve().parent
    return packages


def _bwrap() -> str | None:
    return shutil.which("bwrap") or ("/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)


def _sandbox_env(pythonpath: str, home: str) -> dict[str, str]:
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": pythonpath,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        "ARROW_DEFAULT_MEMORY_POOL": "system",
        "JE_ARROW_MALLOC_CONF": "background_thread:false",
        "MALLOC_ARENA_MAX": "2",
    }


def _python_roots() -> list[str]:
    """Folders the interpreter and its packages live in (bound read-only into the sandbox)."""
    roots: list[str] = []
    for path in (sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))):
        real = os.path.realpath(path)
        if real in ("/", "/usr") or real.startswith("/usr/") or real in roots:
            continue
        roots.append(real)
    if sys.prefix != os.path.realpath(sys.prefix) and sys.prefix not in roots:
        roots.append(sys.prefix)
    return roots


def _readable_by_everyone(paths: list[str]) -> bool:
    """Whether other users can reach (and list) each path: every folder on the way needs o+x, the last o+r."""
    for path in paths:
        current = Path(path)
        for folder in [*reversed(current.parents), current]:
            try:
                mode = folder.stat().st_mode
            except OSError:
                return False
            if not mode & stat.S_IXOTH or (folder == current and not mode & stat.S_IROTH):
                return False
    return True


def bwrap_version(bwrap: str) -> tuple[int, ...]:
    """bubblewrap's version, e.g. (0, 8, 0); (0,) if it cannot be told."""
    try:
        text = subprocess.run(
            [bwrap, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
        return tuple(int(part) for part in text.split()[-1].split("."))
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return (0,)


def bwrap_command(
    bwrap: str,
    control_fd: int,
    data_files: tuple[Path, ...],
    trainee_uid: int | None,
    version: tuple[int, ...] = (0, 8, 0),
) -> tuple[list[str], dict[str, Any]]:
    """The bubblewrap command line that starts the zygote, and the zygote's filesystem settings.

    ``--size`` needs bubblewrap 0.7 and ``--disable-userns`` 0.8; older versions (Ubuntu 22.04 has 0.6) run
    without them: tmpfs size is then bounded by RLIMIT_FSIZE per file only, and nested user namespaces stay
    possible (they give no access to anything outside the sandbox).
    """
    args = [bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc"]
    args += ["--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
    size = ["--size", str(TMPFS_BYTES)] if version >= (0, 7) else []
    if trainee_uid is None:
        args += ["--unshare-user", *(["--disable-userns"] if version >= (0, 8) else [])]
    else:  # started by root: keep only what the zygote needs to drop to the trainee's user and clear up after it
        args += [
            "--cap-drop",
            "ALL",
            "--cap-add",
            "CAP_SETUID",
            "--cap-add",
            "CAP_SETGID",
            "--cap-add",
            "CAP_KILL",
        ]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("bin", "lib", "lib32", "lib64", "sbin"):
        path = f"/{top}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for etc in ("ld.so.cache", "localtime", "timezone", "fonts", "mime.types"):
        args += ["--ro-bind-try", f"/etc/{etc}", f"/etc/{etc}"]
    # The writable folders come first: a later tmpfs would hide anything bound beneath it, and the interpreter
    # (a virtual environment in a fresh clone under /tmp, say) may well live there.
    args += ["--proc", "/proc", "--dev", "/dev"]
    for writable in WRITABLE:
        args += ["--perms", "1777", *size, "--tmpfs", writable]
    roots = _python_roots()
    # bubblewrap would create the folders above each bind with the modes of the host's (``/root`` is 0700):
    # create them first, readable, so the trainee's user can reach the interpreter.
    folders: dict[str, None] = {}
    for target in [*roots, f"{GRADER_CODE}/autograder"]:
        for above in reversed(Path(target).parents):
            if str(above) not in ("/", *WRITABLE) and not str(above).startswith("/usr"):
                folders.setdefault(str(above), None)
    for folder in folders:
        args += ["--perms", "0755", "--dir", folder]
    for root in roots:
        args += ["--ro-bind", root, root]
    for name, package in project_packages().items():
        args += ["--ro-bind", str(package), f"{GRADER_CODE}/{name}"]
    if data_files:
        args += ["--perms", "0755", "--tmpfs", f"{HOME}/data"]
        for data_file in data_files:
            args += ["--ro-bind", str(data_file), f"{HOME}/data/{data_file.name}"]
        args += ["--remount-ro", f"{HOME}/data"]
    args += ["--chdir", HOME, "--clearenv"]
    for key, value in _sandbox_env(GRADER_CODE, HOME).items():
        args += ["--setenv", key, value]
    args += ["--", sys.executable, "-s", "-P", "-B", "-m", "autograder.sandbox.zygote", str(control_fd)]
    settings = {"workdir": HOME, "clean_dirs": list(WRITABLE), "keep": protected_entries(roots)}
    return args, settings


def protected_entries(roots: list[str]) -> list[str]:
    """Entries of the writable folders that lead to a read-only bind (an interpreter under /tmp): never emptied."""
    kept = []
    for root in roots:
        for writable in WRITABLE:
            if root.startswith(writable + "/"):
                kept.append(writable + "/" + root.removeprefix(writable + "/").split("/", 1)[0])
    return kept


class Sandbox:
    """One sandboxed zygote; :meth:`start_child` gives a socket to a fresh process for one submission."""

    def __init__(
        self,
        *,
        limits: Limits,
        data_files: tuple[Path, ...] = (),
        isolation: IsolationRequest = "auto",
        preload: tuple[str, ...] = DEFAULT_PRELOAD,
        wait: bool = True,
    ) -> None:
        """Start the sandbox; with ``wait=False`` return as soon as its process is launched, so the caller can
        do other work while the zygote imports its libraries (:meth:`wait_ready` then finishes starting it, and
        every method that needs the sandbox calls it first)."""
        self.limits = limits
        self.data_files = data_files
        self.request = isolation
        self.preload = preload
        self.process: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.workdir: tempfile.TemporaryDirectory[str] | None = None
        self.isolation = Isolation.RLIMITS_ONLY
        self.fallback_reason = ""
        self.no_seccomp = ""
        self.child_running = False
        self.trainee_uid = UID_BASE + os.getpid() if os.geteuid() == 0 else None
        self.ready_pending = False
        found = _bwrap()
        self.bwrap_version = bwrap_version(found) if found and isolation != "none" else (0,)
        self._begin()
        if wait:
            self.wait_ready()

    # -- starting --------------------------------------------------------------------------------------------
    def _start(self) -> None:
        self._begin()
        self.wait_ready()

    def _begin(self) -> None:
        """Launch the sandbox's process (bubblewrap if it can be used), without waiting for it to be ready."""
        bwrap = _bwrap() if self.request != "none" else None
        if bwrap is not None and self.bwrap_version < (0, 5):
            self.fallback_reason = (
                f"bubblewrap {'.'.join(map(str, self.bwrap_version))} is too old (0.5 needed)"
            )
            if self.request == "namespaces":
                raise SandboxError(self.fallback_reason)
            bwrap = None
        if bwrap is None:
            if self.request == "namespaces":
                raise SandboxError(
                    "bubblewrap (bwrap) is not installed, and --isolation namespaces was asked for"
                )
            if not self.fallback_reason:
                self.fallback_reason = (
                    "bubblewrap is not installed" if self.request == "auto" else "asked for"
                )
        self._spawn(Isolation.NAMESPACES if bwrap is not None else Isolation.RLIMITS_ONLY, bwrap)
        self.ready_pending = True

    def wait_ready(self) -> None:
        """Wait until the launched sandbox says it is ready; if bubblewrap's sandbox could not start and
        isolation was not required, start one with resource limits only (and say why)."""
        if not self.ready_pending:
            return
        self.ready_pending = False
        try:
            self._await_ready()
        except SandboxError as error:
            if self.isolation is not Isolation.NAMESPACES or self.request == "namespaces":
                raise
            self.fallback_reason = str(error)
            self._spawn(Isolation.RLIMITS_ONLY, None)
            self._await_ready()

    def _weak_command(self, control_fd: int) -> tuple[list[str], dict[str, Any], str]:
        self.workdir = tempfile.TemporaryDirectory(prefix="college-grading-")
        home = Path(self.workdir.name)
        os.chmod(home, 0o1777)
        if self.data_files:
            (home / "data").mkdir()
            for data_file in self.data_files:
                shutil.copyfile(data_file, home / "data" / data_file.name)
        package_parent = os.pathsep.join(
            dict.fromkeys(str(path.parent) for path in project_packages().values())
        )
        command = [sys.executable, "-s", "-P", "-B", "-m", "autograder.sandbox.zygote", str(control_fd)]
        settings = {"workdir": str(home), "clean_dirs": [str(home)], "keep": [str(home / "data")]}
        return command, settings, package_parent

    def _spawn(self, isolation: Isolation, bwrap: str | None) -> None:
        """Start the sandbox's process and send the zygote its settings."""
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        arguments_fd = -1
        try:
            if bwrap is not None:
                full, settings = bwrap_command(
                    bwrap, child.fileno(), self.data_files, self.trainee_uid, self.bwrap_version
                )
                # bubblewrap reads its arguments from a file descriptor, so the sandbox's /proc/1/cmdline shows
                # "bwrap --args N", not the host paths it binds
                # (its options only: the command, the interpreter the sandbox shows anyway, stays on the line)
                split = full.index("--") if "--" in full else len(full)
                arguments_fd = os.memfd_create("bwrap-arguments", 0)
                os.write(arguments_fd, b"".join(os.fsencode(argument) + b"\0" for argument in full[1:split]))
                os.lseek(arguments_fd, 0, os.SEEK_SET)
                command = [full[0], "--args", str(arguments_fd), *full[split:]]
                env = None
                cwd = None
            else:
                command, settings, pythonpath = self._weak_command(child.fileno())
                env = _sandbox_env(pythonpath, settings["workdir"])
                cwd = settings["workdir"]
            process = subprocess.Popen(
                command,
                pass_fds=[child.fileno(), *([arguments_fd] if arguments_fd >= 0 else [])],
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        finally:
            child.close()
            if arguments_fd >= 0:
                os.close(arguments_fd)
        self.process, self.control, self.isolation = process, parent, isolation
        # Without namespaces the trainee's user sees the host's files as they are: if the interpreter sits in a
        # private folder (a pyenv under /root, say) that user could not even import the standard library.
        trainee_uid = self.trainee_uid
        if isolation is not Isolation.NAMESPACES and not _readable_by_everyone(_python_roots()):
            trainee_uid = None
        send_message(
            parent,
            {
                "namespaces": isolation is Isolation.NAMESPACES,
                "limits": self.limits.to_json(),
                "preload": list(self.preload),
                "trainee_uid": trainee_uid,
                "trainee_gid": trainee_uid,
                "host_pid_namespace": os.readlink("/proc/self/ns/pid"),
                **settings,
            },
        )

    def _await_ready(self) -> None:
        """Read the zygote's first message, and check it."""
        parent, process, isolation = self.control, self.process, self.isolation
        assert parent is not None and process is not None
        try:
            ready = recv_message(parent, max_bytes=1 << 20, deadline=time.monotonic() + READY_SECONDS)
        except (Timeout, ProtocolError, OSError) as error:
            detail = self._stderr_of_dead_process() or type(error).__name__
            self._kill()
            raise SandboxError(f"the sandbox did not start: {detail}") from None
        if ready.get("op") != "ready" or (
            isolation is Isolation.NAMESPACES and not ready.get("pid_namespace")
        ):
            self._kill()
            raise SandboxError(f"the sandbox started without its own process namespace: {ready}")
        self.no_seccomp = str(ready.get("no_seccomp") or "")
        if ready.get("preload_failed"):
            self.fallback_reason += f" (could not preload: {ready['preload_failed']})"
        if (
            process.stderr is not None
        ):  # nothing more is read from it; do not let a full pipe block the zygote
            process.stderr.close()

    def _stderr_of_dead_process(self) -> str:
        if self.process is None or self.process.stderr is None:
            return ""
        try:
            self.process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            return ""
        return self.process.stderr.read().decode("utf-8", "replace").strip()[-2000:]

    def describe(self) -> str:
        self.wait_ready()
        if self.isolation is Isolation.NAMESPACES:
            user = "a user of its own per submission" if self.trainee_uid is not None else "a user namespace"
            filter_ = "; " + self.no_seccomp if self.no_seccomp else ", a seccomp filter"
            return (
                f"namespaces (bubblewrap: no network, private files and processes, {user}{filter_}) "
                "with resource limits"
            )
        reason = f" ({self.fallback_reason})" if self.fallback_reason else ""
        return f"rlimits only{reason}"

    # -- one submission --------------------------------------------------------------------------------------
    def start_child(self) -> socket.socket:
        """A socket to a newly forked process, ready to run one submission."""
        self.wait_ready()
        if self.process is None or self.process.poll() is not None:
            self.restart()
        grader_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            assert self.control is not None
            send_message(self.control, {"op": "start"})
            socket.send_fds(self.control, [b"F"], [child_end.fileno()])
            reply = recv_message(self.control, max_bytes=1 << 20, deadline=time.monotonic() + 30)
            if reply.get("op") != "started":
                raise ProtocolError(f"unexpected reply {reply}")
        except (OSError, ProtocolError, Timeout) as error:
            grader_end.close()
            self.restart()
            raise SandboxError(f"could not start a process for the submission: {error!r}") from None
        finally:
            child_end.close()
        self.child_running = True
        return grader_end

    def stop_child(self) -> ChildExit:
        """Stop the submission's process (if still running), kill whatever it left, and clear its files."""
        self.child_running = False
        try:
            assert self.control is not None
            send_message(self.control, {"op": "stop"})
            reply = recv_message(self.control, max_bytes=1 << 20, deadline=time.monotonic() + 60)
        except (OSError, ProtocolError, Timeout, AssertionError):
            self.restart()  # the child took the zygote down with it: start afresh for the next trainee
            return ChildExit(exitcode=None, signal=None, killed=True, leftover=0)
        return ChildExit(
            exitcode=reply.get("exitcode") if isinstance(reply.get("exitcode"), int) else None,
            signal=reply.get("signal") if isinstance(reply.get("signal"), int) else None,
            killed=bool(reply.get("killed")),
            leftover=int(reply.get("leftover") or 0),
        )

    # -- the whole sandbox -----------------------------------------------------------------------------------
    def restart(self) -> None:
        self._kill()
        self._start()

    def _kill(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, 9)
                self.process.wait()
            if self.process.stderr is not None and not self.process.stderr.closed:
                self.process.stderr.close()
            self.process = None
        if self.workdir is not None:
            self.workdir.cleanup()
            self.workdir = None

    def close(self) -> None:
        if self.ready_pending:  # still starting: nothing of a trainee's has run in it
            self.ready_pending = False
            self._kill()
            return
        if self.control is not None and self.process is not None and self.process.poll() is None:
            try:
                send_message(self.control, {"op": "exit"})
                self.process.wait(timeout=15)
            except (OSError, ChannelClosed, subprocess.TimeoutExpired):
                pass
        self._kill()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
