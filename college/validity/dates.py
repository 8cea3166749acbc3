"""Dates and times in order: each row's earlier event must not come after its later one."""

from __future__ import annotations

import pandas as pd

from college.validity._frames import failing, require_columns


def _as_datetimes(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as date-times; text that is not a date or time is an error naming the column."""
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values
    try:
        return pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"column {column!r} holds values that are not dates or date-times: {error}"
        ) from error


def dates_out_of_order(
    frame: pd.DataFrame,
    earlier: str,
    later: str,
    *,
    allow_equal: bool = True,
    allow_missing: bool = True,
) -> pd.DataFrame:
    """The rows where ``later`` comes before ``earlier`` (for example a departure before the arrival).

    Args:
        frame: the data.
        earlier: the column that should hold the earlier date or date-time.
        later: the column that should hold the later one.
        allow_equal: whether the two may be equal (True: only strictly out-of-order rows fail).
        allow_missing: whether a row with either value missing passes (True) or fails (False).

    Text columns are read as ISO 8601 dates or date-times (``2023-04-01 13:45:00``).
    """
    require_columns(frame, [earlier, later])
    first = _as_datetimes(frame, earlier)
    second = _as_datetimes(frame, later)
    missing = first.isna() | second.isna()
    wrong = (second <= first) if not allow_equal else (second < first)
    wrong = wrong.fillna(False).astype(bool) & ~missing
    if not allow_missing:
        wrong |= missing
    return failing(frame, wrong)
