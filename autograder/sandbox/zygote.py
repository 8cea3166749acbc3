"""The zygote: a long-lived process inside the sandbox that forks one fresh child per submission.

It imports the heavy libraries (pandas, NumPy, pyarrow) once, so each child starts in milliseconds. Between
submissions it kills every process the last child left behind and empties every writable folder, so nothing of
one trainee's run is visible to the next. Standard library only at import time (plus the preloaded modules).

Run as ``python -P -m autograder.sandbox.zygote CONTROL_FD``; the grader sends its configuration as the first
message on that socket.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import os
import resource
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, NoReturn

from autograder.sandbox.limits import Limits
from autograder.sandbox.protocol import ChannelClosed, ProtocolError, recv_message, send_message

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
SWEEP_SECONDS = 10.0

_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option: int, value: int) -> None:
    """Linux's prctl; elsewhere (untested) a no-op, and the weaker protections go with it."""
    if not sys.platform.startswith("linux"):
        return
    if _libc.prctl(option, value, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), f"prctl({option}) failed")


USERS_PER_SANDBOX = 500
"""Submissions in one sandbox get users in turn from this many; after that the cycle repeats, long after the
first user's processes were killed and its writable folders emptied."""
USER_STRIDE = 1 << 22
"""Distance between a sandbox's users, so that sandboxes (whose base users are 2,000,000,000 + the grader's pid)
do not share a user either."""


@dataclass(frozen=True)
class Config:
    namespaces: bool
    """True inside bubblewrap's PID namespace: then everything but pid 1 and the zygote may be killed."""
    limits: Limits
    preload: tuple[str, ...]
    trainee_uid: int | None
    trainee_gid: int | None
    workdir: str
    clean_dirs: tuple[str, ...]
    keep: tuple[str, ...]
    """Paths inside the writable folders that survive clearing up (the data, outside bubblewrap)."""
    host_pid_namespace: str

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Config:
        return cls(
            namespaces=bool(message["namespaces"]),
            limits=Limits.from_json(message["limits"]),
            preload=tuple(message.get("preload", ())),
            trainee_uid=message.get("trainee_uid"),
            trainee_gid=message.get("trainee_gid"),
            workdir=str(message["workdir"]),
            clean_dirs=tuple(message.get("clean_dirs", ())),
            keep=tuple(message.get("keep", ())),
            host_pid_namespace=str(message.get("host_pid_namespace", "")),
        )


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    ppid: int
    uid: int
    threads: int


def processes() -> list[ProcessInfo]:
    found: list[ProcessInfo] = []
    if not os.path.isdir("/proc"):
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8", errors="replace") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            found.append(
                ProcessInfo(
                    pid=int(entry),
                    ppid=int(fields["PPid"].split()[0]),
                    uid=int(fields["Uid"].split()[0]),
                    threads=int(fields.get("Threads", "1").split()[0]),
                )
            )
        except (OSError, KeyError, ValueError, IndexError):
            continue  # it ended while we looked
    return found


def memory_in_use_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Zygote:
    def __init__(self, control: socket.socket, config: Config, seccomp: bool = False) -> None:
        self.control = control
        self.config = config
        self.seccomp = seccomp
        self.runs = 0
        self.uid = config.trainee_uid
        """The current submission's user: a new one for each submission when the zygote may switch users, so
        nothing a submission leaves that belongs to its user (keys, files in odd places, processes) is the
        next one's."""
        self.child: int | None = None
        self.pid = os.getpid()
        self.base_memory = memory_in_use_bytes()
        self.may_kill_everything = (
            config.namespaces and os.readlink("/proc/self/ns/pid") != config.host_pid_namespace
        )

    # -- the child ---------------------------------------------------------------------------------------
    def process_allowance(self) -> int:
        """RLIMIT_NPROC counts every process of the user, so count those already there."""
        uid = self.uid if self.uid is not None else os.getuid()
        existing = sum(info.threads for info in processes() if info.uid == uid)
        return existing + self.config.limits.processes

    def become_trainee(self) -> None:
        os.setsid()
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if self.uid is not None and os.getuid() == 0:
            os.setgroups([])
            os.setgid(self.uid)
            os.setuid(self.uid)
        prctl(PR_SET_NO_NEW_PRIVS, 1)

    def apply_limits(self, nproc: int) -> None:
        limits = self.config.limits
        address_space = self.base_memory + limits.memory_mb * 1024 * 1024
        for kind, soft, hard in (
            (resource.RLIMIT_AS, address_space, address_space),
            (resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1),
            (resource.RLIMIT_NPROC, nproc, nproc),
            (resource.RLIMIT_FSIZE, limits.file_mb * 1024 * 1024, limits.file_mb * 1024 * 1024),
            (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
            (resource.RLIMIT_CORE, 0, 0),
        ):
            resource.setrlimit(kind, (soft, hard))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails with an error instead

    def run_child(self, conversation: int, nproc: int) -> NoReturn:
        try:
            self.control.close()
            self.become_trainee()
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.closerange(3, conversation)
            os.closerange(conversation + 1, 65536)
            os.chdir(self.config.workdir)
            self.apply_limits(nproc)
            if self.seccomp:
                from autograder.sandbox.syscalls import refuse_risky_syscalls

                refuse_risky_syscalls()
            from autograder.sandbox.child import Child

            sock = socket.socket(fileno=conversation)
            Child(sock, self.config.limits).serve()
        except BaseException:
            os._exit(70)

    def start(self) -> None:
        _, fds, _, _ = socket.recv_fds(self.control, 1, 1)
        if len(fds) != 1:
            raise ProtocolError("the grader sent no socket for the child")
        if self.config.trainee_uid is not None and os.getuid() == 0:
            self.uid = self.config.trainee_uid + (self.runs % USERS_PER_SANDBOX) * USER_STRIDE
        self.runs += 1
        nproc = self.process_allowance()
        pid = os.fork()
        if pid == 0:
            self.run_child(fds[0], nproc)
        os.close(fds[0])
        self.child = pid

    # -- clearing up -------------------------------------------------------------------------------------
    def child_status(self) -> tuple[int | None, int | None, bool]:
        """(exit code, signal, killed by us) for the current child, killing it if it still runs."""
        if self.child is None:
            return None, None, False
        killed = False
        deadline = time.monotonic() + 0.2
        while True:
            pid, status = os.waitpid(self.child, os.WNOHANG)
            if pid:
                break
            if not _wait_for_exit(self.child, deadline):
                try:
                    os.killpg(self.child, signal.SIGKILL)  # the child leads its own process group
                except (ProcessLookupError, PermissionError):
                    os.kill(self.child, signal.SIGKILL)
                killed = True
                _, status = os.waitpid(self.child, 0)
                break
        self.child = None
        if os.WIFSIGNALED(status):
            return None, os.WTERMSIG(status), killed
        return os.WEXITSTATUS(status), None, killed

    def leftovers(self) -> list[int]:
        everyone = processes()
        if self.may_kill_everything:
            return [info.pid for info in everyone if info.pid not in (1, self.pid)]
        children: dict[int, list[int]] = {}
        for info in everyone:
            children.setdefault(info.ppid, []).append(info.pid)
        found: set[int] = set()
        stack = list(children.get(self.pid, []))
        while stack:
            pid = stack.pop()
            if pid not in found:
                found.add(pid)
                stack.extend(children.get(pid, []))
        uid = self.uid
        if uid is not None and os.getuid() == 0:
            found |= {info.pid for info in everyone if info.uid == uid}
        found.discard(self.pid)
        return sorted(found)

    def reap(self) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return

    def sweep(self) -> int:
        """Kill every process the child left (background jobs, fork bombs) and wait until none is left."""
        deadline = time.monotonic() + SWEEP_SECONDS
        killed = 0
        while time.monotonic() < deadline:
            targets = self.leftovers()
            if not targets:
                break
            killed = max(killed, len(targets))
            if self.may_kill_everything:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(-1, signal.SIGKILL)
            else:
                for pid in targets:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, signal.SIGKILL)
            self.reap()
            time.sleep(0.002)
        return killed

    def clean_files(self) -> None:
        """Empty the writable folders, as the trainee's user (who owns what is there), and remove System V IPC
        objects; when nothing at all is left (the usual case) there is nothing to do as that user."""
        ipc = _sysv_ipc_left()
        if not ipc and not any(_anything_left(folder, self.config.keep) for folder in self.config.clean_dirs):
            return
        pid = os.fork()
        if pid == 0:
            try:
                self.become_trainee()
                for folder in self.config.clean_dirs:
                    _empty(folder, self.config.keep)
                if ipc and self.may_kill_everything and shutil.which("ipcrm"):
                    subprocess.run(["ipcrm", "--all"], capture_output=True, timeout=5, check=False)
            finally:
                os._exit(0)
        deadline = time.monotonic() + SWEEP_SECONDS
        while True:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
            if not _wait_for_exit(pid, deadline):
                break
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

    def stop(self) -> dict[str, Any]:
        exitcode, signum, killed = self.child_status()
        leftover = self.sweep()
        self.clean_files()
        self.sweep()
        return {
            "op": "stopped",
            "exitcode": exitcode,
            "signal": signum,
            "killed": killed,
            "leftover": leftover,
        }

    def serve(self) -> None:
        while True:
            try:
                message = recv_message(self.control, max_bytes=1 << 20)
            except (ChannelClosed, ProtocolError, OSError):
                break
            op = message.get("op")
            if op == "start":
                self.start()
                send_message(self.control, {"op": "started"})
            elif op == "stop":
                send_message(self.control, self.stop())
            else:
                break
        if self.child is not None:
            self.child_status()
        self.sweep()


def _wait_for_exit(pid: int, deadline: float) -> bool:
    """Wait until child ``pid`` may have ended (then reap it with ``waitpid``), at most until ``deadline``;
    False once the deadline has passed. A pidfd wakes the moment the child ends; where there is none (older
    kernels), a short sleep."""
    left = deadline - time.monotonic()
    if left <= 0:
        return False
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        time.sleep(min(left, 0.002))
        return True
    try:
        select.select([fd], [], [], left)
    finally:
        os.close(fd)
    return True


SYSV_IPC = ("/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg")


def _sysv_ipc_left() -> bool:
    """Whether any System V IPC object exists in this IPC namespace (each file has a header line, then one line
    per object); True when that cannot be told, so clearing up then runs as before."""
    for path in SYSV_IPC:
        try:
            with open(path, encoding="utf-8", errors="replace") as listing:
                if len(listing.readlines()) > 1:
                    return True
        except OSError:
            return True
    return False


def _anything_left(folder: str, keep: tuple[str, ...]) -> bool:
    """Whether :func:`_empty` would find anything to delete in ``folder`` (True when it cannot be listed)."""
    try:
        entries = os.listdir(folder)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    for name in entries:
        path = os.path.join(folder, name)
        if path in keep:
            continue
        try:
            if os.path.ismount(path):
                continue
        except OSError:
            pass
        return True
    return False


def _open_up(top: str) -> None:
    """Give the owner back every permission on ``top`` and on every folder below it, opening each before it is
    listed (a trainee may leave folders that are unreadable, unwritable or nested thousands deep). Symbolic
    links are never followed."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                continue
            os.chmod(folder, 0o700)
            with os.scandir(folder) as entries:
                stack.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except OSError:
            continue


def _empty(folder: str, keep: tuple[str, ...]) -> None:
    """Delete everything inside ``folder`` except mount points and ``keep`` (the data), fixing permissions."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for name in entries:
        path = os.path.join(folder, name)
        try:
            if path in keep or os.path.ismount(path):
                continue
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode):
                _open_up(path)
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            continue


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    config = Config.from_message(recv_message(control, max_bytes=1 << 20))
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    prctl(PR_SET_DUMPABLE, 0)  # the trainee's child, even as the same user, cannot trace the zygote
    failed: list[str] = []
    for module in config.preload:
        try:
            importlib.import_module(module)
        except Exception as error:
            failed.append(f"{module}: {error}")
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].set_cpu_count(1)
        sys.modules["pyarrow"].set_io_thread_count(1)
    importlib.import_module("autograder.sandbox.child")
    from autograder.sandbox.syscalls import available

    no_seccomp = available()  # imported here, before any trainee runs: the library is looked up once
    gc.collect()
    gc.freeze()  # keep the imported objects' pages shared with every forked child
    zygote = Zygote(control, config, seccomp=not no_seccomp)
    send_message(
        control,
        {
            "op": "ready",
            "pid_namespace": zygote.may_kill_everything,
            "preload_failed": failed,
            "no_seccomp": no_seccomp,
            "uid": os.getuid(),
            "python": sys.version.split()[0],
        },
    )
    zygote.serve()
    os._exit(0)  # every process it started is gone (serve swept them): skip tearing down pandas and the rest


if __name__ == "__main__":
    main()
