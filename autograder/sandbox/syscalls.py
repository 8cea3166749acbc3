"""A seccomp filter for trainee code: system calls grading never needs are refused with ``EPERM``.

Inside the sandbox trainee code already has no network, its own process table and no host files; the filter
closes what is left of the kernel's attack surface and of the ways one submission could leave something for the
next: new namespaces (``unshare``, ``setns``, ``clone`` with a ``CLONE_NEW*`` flag), mounts, kernel keyrings
(which outlive a process), System V and POSIX message-queue IPC, tracing, BPF, ``io_uring``, kernel modules and
the like. It is written with libseccomp (through ``pyseccomp``), not as hand-made BPF, and loaded in the child
after it has become the trainee and set ``no_new_privs``. Where libseccomp cannot be loaded, the caller is told
and grading goes on with the other layers (the isolation line says so).
"""

from __future__ import annotations

import errno
from typing import Any

REFUSED = (
    # namespaces, mounts and the file system's root
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr", "open_by_handle_at", "name_to_handle_at", "quotactl",
    # kernel keyrings: keys outlive the process that made them
    "keyctl", "add_key", "request_key",
    # IPC objects that outlive a process (POSIX shared memory is files in /dev/shm, emptied between runs)
    "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl", "shmget", "shmat",
    "shmctl", "shmdt", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # looking into or steering other processes, and large kernel interfaces grading never uses
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "bpf", "perf_event_open",
    "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    # the machine itself
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
    "swapoff", "acct", "syslog", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "vhangup",
    "lookup_dcookie",
)  # fmt: skip
CLONE_NEW_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
    0x00000080,  # CLONE_NEWTIME
)


def _library() -> Any:
    import pyseccomp

    return pyseccomp


def available() -> str:
    """'' if the filter can be built here, else why not (for the isolation line)."""
    try:
        _library()
    except (ImportError, OSError, AttributeError) as error:
        return f"no seccomp filter ({error})"
    return ""


def refuse_risky_syscalls() -> None:
    """Load the filter into this process (and every process it starts). Raises if it cannot be loaded."""
    seccomp = _library()
    refuse = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in REFUSED:
        try:
            rules.add_rule(refuse, name)
        except (OSError, ValueError, RuntimeError):
            continue  # a call this kernel or architecture does not have
    for flag in CLONE_NEW_FLAGS:
        rules.add_rule(refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory, where a filter cannot look: say it does not exist, so the C library
    # falls back to clone (filtered above), as container runtimes do
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    rules.load()
