"""A local Dask distributed cluster for the tests: ``dask scheduler`` and ``dask worker`` as separate processes
on loopback, as an operator would start them on several machines, stopped at the end."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tests.autograder.postgres import free_port

DASK = str(Path(sys.executable).parent / "dask")


@dataclass
class DaskCluster:
    folder: Path
    port: int
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs_open: list[IO[bytes]] = field(default_factory=list)
    worker_env: dict[str, str] | None = None
    """Extra environment variables of the worker processes (and so of their grading workers)."""

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    @classmethod
    def start(cls, workers: int = 2, worker_env: dict[str, str] | None = None) -> DaskCluster:
        folder = Path(tempfile.mkdtemp(prefix="college-dask-test-"))
        port = free_port()
        log = (folder / "scheduler.log").open("wb")
        scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        cluster = cls(folder, port, scheduler, logs_open=[log], worker_env=worker_env)
        try:
            for _ in range(workers):
                cluster.add_worker()
            cluster.wait_for_workers(workers)
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def add_worker(self) -> subprocess.Popen[bytes]:
        """One worker process (no nanny, so killing it takes it away), one thread: one submission at a time."""
        number = len(self.workers)
        log = (self.folder / f"worker-{number}.log").open("wb")
        self.logs_open.append(log)
        worker = subprocess.Popen(
            [
                DASK,
                "worker",
                self.address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                f"worker-{number}",
                "--local-directory",
                str(self.folder / f"worker-{number}"),
            ],
            cwd=self.folder,
            env={**os.environ, **(self.worker_env or {})},
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int, seconds: float = 120) -> None:
        from distributed import Client

        with Client(self.address, timeout=seconds, set_as_default=False) as client:
            client.wait_for_workers(count, timeout=seconds)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in self.folder.glob("*.log")
        )

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs_open:
            log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
