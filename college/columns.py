"""The one check that a data frame has the columns a function needs, shared by the library's packages.

It sits below ``college.methods``, ``college.validity`` and ``college.data`` and imports nothing of the
project, so that each of them can use it without depending on another.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise TypeError if ``frame`` is not a DataFrame, and ValueError naming every missing column and the ones
    the frame has, so that a typo is seen at once."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        available = ", ".join(repr(str(column)) for column in frame.columns) or "(none)"
        raise ValueError(f"missing column(s) {', '.join(map(repr, missing))}; the data frame has {available}")
