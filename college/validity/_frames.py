"""Small helpers shared by the checks: argument checking and picking out failing rows."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise a ValueError naming any column the frame does not have."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        available = ", ".join(map(str, frame.columns)) or "(none)"
        raise ValueError(f"no column {', '.join(map(repr, missing))} in the data; columns are: {available}")


def failing(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The rows where ``mask`` is true, with their original index, as a new frame."""
    return frame.loc[mask.to_numpy(dtype=bool)].copy()
