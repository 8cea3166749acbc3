"""Tests often read the exercise's data afresh (``pd.read_csv("data/...")``) to compute the expected answer.

In a grading worker those files never change, so each distinct read is done once and every later test gets its own
deep copy of the result: the same data frame, without parsing the same file for every trainee. Only reads of the
exercise's data files with plain arguments are cached; anything else goes straight to pandas.

Nothing here changes pandas itself: a :class:`DataCache` belongs to one grader, and the tests see it through a
:func:`cached_pandas` module bound in their own namespace (where the tutor wrote ``import pandas as pd``). Code
that imports pandas some other way, in the grader or anywhere else in the process, sees pandas unchanged.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

MAX_ENTRIES = 64
CACHED_READERS = ("read_csv", "read_parquet")


def _plain(value: object) -> bool:
    """True for arguments whose repr identifies them (so they can be part of the cache key)."""
    if value is None or isinstance(value, str | int | float | bool | type):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


class DataCache:
    """Parsed copies of the exercise's data files, as read by one grader's tests.

    ``folder`` is the tests' working folder, where ``data/<name>`` links to each data file; relative paths are
    resolved against it (not against whatever the process's working folder happens to be).
    """

    def __init__(self, data_files: Iterable[Path], folder: Path, max_entries: int = MAX_ENTRIES) -> None:
        files = tuple(data_files)
        self.folder = folder
        self.known = frozenset(
            {path.resolve() for path in files} | {(folder / "data" / path.name).resolve() for path in files}
        )
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str, str], Any] = {}
        self.hits = 0
        self.misses = 0

    def _path(self, source: object) -> Path | None:
        if not isinstance(source, str | Path):
            return None
        path = Path(source)
        return (path if path.is_absolute() else self.folder / path).resolve()

    def reader(self, name: str, read: Callable[..., Any]) -> Callable[..., Any]:
        """``read`` (a pandas reader), answering repeated reads of the data files from the cache."""

        def cached_read(source: Any, *args: Any, **kwargs: Any) -> Any:
            path = self._path(source)
            if path is None or path not in self.known or not _plain(list(args)) or not _plain(kwargs):
                return read(source, *args, **kwargs)
            key = (name, str(path), repr((args, sorted(kwargs.items()))))
            if key not in self._entries:
                self.misses += 1
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[key] = read(path, *args, **kwargs)
            else:
                self.hits += 1
            return self._entries[key].copy(deep=True)

        cached_read.__name__ = cached_read.__qualname__ = name
        cached_read.__doc__ = read.__doc__
        return cached_read


class CachedPandas(types.ModuleType):
    """pandas as a test sees it: every attribute is pandas' own, except the cached readers."""

    def __init__(self, pandas: types.ModuleType, cache: DataCache) -> None:
        super().__init__(pandas.__name__, pandas.__doc__)
        self.__dict__["_pandas"] = pandas
        for name in CACHED_READERS:
            self.__dict__[name] = cache.reader(name, getattr(pandas, name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_pandas"], name)

    def __dir__(self) -> list[str]:
        return dir(self.__dict__["_pandas"])


def with_cached_pandas(namespace: dict[str, Any], cache: DataCache) -> dict[str, Any]:
    """``namespace`` with every name bound to the pandas module rebound to a :class:`CachedPandas`."""
    import pandas

    proxy = CachedPandas(pandas, cache)
    return {name: (proxy if value is pandas else value) for name, value in namespace.items()}
