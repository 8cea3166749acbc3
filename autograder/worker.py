"""A grading worker process: ``python -m autograder.worker FD``, driven by :mod:`autograder.pool`.

It is a plain subprocess (not multiprocessing), so it works whatever the calling program's ``__main__`` is. It
talks to the pool in JSON messages over the socket ``FD``: one ``sandbox`` (limits, data files, isolation), one
``setup`` (the exercise), then ``grade`` requests, then ``exit``. It launches its sandbox as soon as it has the first
message, before importing the grader's own libraries, so the sandbox's zygote and this process import theirs at the
same time, and the tutor's command parses the exercise meanwhile.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import socket
import sys
import traceback

from autograder.sandbox.protocol import ChannelClosed, ProtocolError, recv_message, send_message
from autograder.worker_setup import GraderSetup, SandboxSetup

PR_SET_PDEATHSIG = 1
MAX_MESSAGE = 64 * 1024 * 1024


def limit_own_memory(megabytes: int) -> None:
    """Cap this worker's address space (after its sandbox has started, so the sandbox keeps its own limits):
    whatever a trainee's values or a test on them try to allocate, the grader's worker stays within this, and
    a test that needs more fails with MemoryError for that trainee alone."""
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def main() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # end with the pool's process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is handled by the main process
    sock = socket.socket(fileno=int(sys.argv[1]))
    sandbox = None
    try:
        sandbox = SandboxSetup.from_json(recv_message(sock, max_bytes=MAX_MESSAGE)["sandbox"]).launch()
        from autograder.collect import Submission
        from autograder.grader import Grader

        with contextlib.suppress(ImportError):  # the tests' pandas (the grader always binds it), while the
            import pandas  # noqa: F401  # tutor's command is still parsing the exercise

        setup = GraderSetup.from_json(recv_message(sock, max_bytes=MAX_MESSAGE)["setup"])
        grader = Grader(setup, sandbox=sandbox)
    except Exception as error:
        if sandbox is not None:
            sandbox.close()
        send_message(sock, {"op": "failed", "error": f"{type(error).__name__}: {error}"})
        return
    limit_own_memory(setup.limits.grader_memory_mb)
    send_message(sock, {"op": "ready", "isolation": grader.isolation, "weak": grader.weak})
    try:
        while True:
            try:
                message = recv_message(sock, max_bytes=MAX_MESSAGE)
            except (ChannelClosed, ProtocolError, OSError):
                break
            if message.get("op") != "grade":
                break
            index = message["index"]
            try:
                graded = grader.grade(Submission.from_json(message["submission"]))
                reply = {
                    "op": "graded",
                    "index": index,
                    "result": graded.result.model_dump_json(),
                    "html": graded.feedback_html,
                }
            except Exception:
                reply = {"op": "crashed", "index": index, "error": traceback.format_exc(limit=6)}
            send_message(sock, reply)
    finally:
        grader.close()


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(
        0
    )  # its sandbox is closed: skip tearing down the interpreter (pandas and all), a tenth of a second
