"""Small helpers shared by the checks: argument checking and picking out failing rows."""

from __future__ import annotations

import pandas as pd

from college.columns import require_columns

__all__ = ["failing", "require_columns"]


def failing(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    """The rows where ``mask`` is true, with their original index, as a new frame."""
    return frame.loc[mask.to_numpy(dtype=bool)].copy()
