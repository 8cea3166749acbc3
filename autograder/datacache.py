"""Tests often read the exercise's data afresh (``pd.read_csv("data/...")``) to compute the expected answer.

In a grading worker those files never change, so each distinct read is done once and every later test gets its own
deep copy of the result: the same data frame, without parsing the same file for every trainee. Only reads of the
exercise's data files with plain arguments are cached; anything else goes straight to pandas.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_ENTRIES = 64


def _plain(value: object) -> bool:
    """True for arguments whose repr identifies them (so they can be part of the cache key)."""
    if value is None or isinstance(value, str | int | float | bool | type):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


def _cached(read: Callable[..., Any], data_files: frozenset[Path]) -> Callable[..., Any]:
    cache: dict[tuple[str, str], Any] = {}

    @functools.wraps(read)
    def reader(source: Any, *args: Any, **kwargs: Any) -> Any:
        path = Path(source).resolve() if isinstance(source, str | Path) else None
        if path is None or path not in data_files or not _plain(list(args)) or not _plain(kwargs):
            return read(source, *args, **kwargs)
        key = (str(path), repr((args, sorted(kwargs.items()))))
        if key not in cache:
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[key] = read(source, *args, **kwargs)
        return cache[key].copy(deep=True)

    return reader


def install(data_files: tuple[Path, ...], folder: Path) -> None:
    """Cache pandas' CSV and Parquet readers, in this process, for ``data_files`` (as found in ``folder``)."""
    import pandas as pd

    known = frozenset(
        {path.resolve() for path in data_files} | {(folder / "data" / p.name).resolve() for p in data_files}
    )
    for name in ("read_csv", "read_parquet"):
        original = getattr(pd, name)
        setattr(pd, name, _cached(getattr(original, "__wrapped__", original), known))
