"""A throwaway PostgreSQL server for the gradebook tests: Debian's ``initdb``/``pg_ctl``, a temporary folder,
a free loopback port, trust authentication, stopped and removed at the end.

PostgreSQL refuses to run as root, so when the suite runs as root (as CI does) the server runs as ``nobody``, in
a folder of its own (the clone may sit in a private folder that user cannot enter).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

UNPRIVILEGED = "nobody"


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's programs folder (``/usr/lib/postgresql/<version>/bin``)."""
    found = sorted(
        (Path(path) for path in glob.glob("/usr/lib/postgresql/*/bin") if Path(path, "pg_ctl").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server; :meth:`new_database` gives each test a database of its own."""

    folder: Path
    bin: Path
    port: int
    user: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = f"gradebook_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _run(self, *command: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.folder,
            user=self.user,
            group=self.user and pwd.getpwnam(self.user).pw_gid,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "HOME": str(self.folder)},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    @classmethod
    def start(cls) -> PostgresServer:
        programs = postgres_bin()
        if programs is None:
            raise RuntimeError(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): "
                "run 'make test-deps' or 'sudo apt-get install -y postgresql'"
            )
        user = UNPRIVILEGED if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="college-postgres-"))
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(folder, programs, free_port(), user)
        try:
            made = server._run(
                str(programs / "initdb"),
                "-D",
                str(server.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            )
            if made.returncode != 0:
                raise RuntimeError(f"initdb failed: {made.stderr[-2000:]}")
            for _ in range(3):  # another program may take the free port first
                options = (
                    f"-c listen_addresses=127.0.0.1 -c port={server.port} -c unix_socket_directories='' "
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
                )
                started = server._run(
                    str(programs / "pg_ctl"),
                    "-D",
                    str(server.data),
                    "-l",
                    str(folder / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                if started.returncode == 0:
                    return server
                server.port = free_port()
            log = (folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl could not start PostgreSQL: {started.stderr[-1000:]}\n{log}")
        except BaseException:
            server.stop()
            raise

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
