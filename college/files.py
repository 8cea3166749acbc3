"""File writes and hashes shared by the whole project: atomic writes and SHA-256 of a file.

A reader, or a process killed part-way, only ever sees a whole file or none: the bytes go to a temporary file in
the same folder, are flushed to disk, and the file is renamed into place. The file gets the permissions an
ordinary new file would (the umask applied), not ``mkstemp``'s private ones. Standard library only, so that the
grader's sandbox and the data generator can both use it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


def sha256_of_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (large data files are never held whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomic(path: Path, data: str | bytes | Callable[[BinaryIO], None]) -> str:
    """Write text (UTF-8), bytes, or whatever a writer function puts in a stream, to ``path`` atomically.

    Returns the SHA-256 of what was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".partial")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w+b") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o666 & ~_umask())
        digest = sha256_of_file(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return digest


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
