"""Scratch folders that do not outlive their grader, even one killed with ``kill -9``.

Each folder's name carries the process id of the grader that made it. Making a new one first removes those of the
same kind whose process no longer exists, so a killed run leaves nothing behind once any grader runs again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(folder: Path) -> None:
    """Remove ``folder`` whatever the permissions inside it. Only folders inside ``folder`` ever have their
    permissions changed: never ``folder``'s parent (the system's temporary folder, say)."""
    top = os.path.realpath(folder)

    def inside(path: str) -> bool:
        return os.path.realpath(path).startswith(top + os.sep) or os.path.realpath(path) == top

    def retry(function: object, path: str, error: object) -> None:
        if not inside(path) or not os.path.lexists(path):
            return
        with contextlib.suppress(OSError):
            parent = os.path.dirname(path)
            if inside(parent):
                os.chmod(parent, stat.S_IRWXU)
            if os.path.isdir(path) and not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)

    shutil.rmtree(folder, onerror=retry)  # onexc is 3.12+; Python 3.11 is supported


def sweep(prefix: str, parent: Path | None = None) -> list[Path]:
    """Remove scratch folders named ``<prefix><pid>-...`` whose process has ended; the folders removed."""
    parent = parent or Path(tempfile.gettempdir())
    removed = []
    for folder in parent.glob(f"{prefix}*"):
        pid_text = folder.name[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit() or not folder.is_dir() or folder.is_symlink():
            continue
        if folder.stat().st_uid != os.getuid() or _alive(int(pid_text)):
            continue
        _remove(folder)
        removed.append(folder)
    return removed


class ScratchFolder:
    """Like :class:`tempfile.TemporaryDirectory` (``name``, ``cleanup()``, a context manager), but swept up
    by the next grader if this process dies before cleaning up."""

    def __init__(self, prefix: str) -> None:
        sweep(prefix)
        self.name = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")

    def cleanup(self) -> None:
        if os.path.isdir(self.name):
            _remove(Path(self.name))

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *_: object) -> None:
        self.cleanup()
