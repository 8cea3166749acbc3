"""Values within a range, and values matching a pattern."""

from __future__ import annotations

import re

import pandas as pd

from college.validity._frames import failing, require_columns


def values_out_of_range(
    frame: pd.DataFrame,
    column: str,
    minimum: object = None,
    maximum: object = None,
    *,
    allow_missing: bool = False,
) -> pd.DataFrame:
    """The rows whose ``column`` is below ``minimum`` or above ``maximum`` (both limits are inclusive).

    Either limit may be left out. Limits can be numbers, or dates and date-times (as ``pandas.Timestamp`` or
    ISO 8601 text) for a date column. With ``allow_missing`` an empty value passes; otherwise it fails.
    """
    require_columns(frame, [column])
    if minimum is None and maximum is None:
        raise ValueError("give a minimum, a maximum or both")
    values = frame[column]
    if (
        pd.api.types.is_datetime64_any_dtype(values.dtype)
        or isinstance(minimum, str)
        or isinstance(maximum, str)
    ):
        values = pd.to_datetime(values, format="ISO8601")
        minimum = None if minimum is None else pd.Timestamp(minimum)  # type: ignore[arg-type]
        maximum = None if maximum is None else pd.Timestamp(maximum)  # type: ignore[arg-type]
    missing = values.isna()
    outside = pd.Series(False, index=frame.index)
    if minimum is not None:
        outside |= (values < minimum).fillna(False).astype(bool)
    if maximum is not None:
        outside |= (values > maximum).fillna(False).astype(bool)
    outside &= ~missing
    if not allow_missing:
        outside |= missing
    return failing(frame, outside)


def values_not_matching(
    frame: pd.DataFrame, column: str, pattern: str, *, allow_missing: bool = False
) -> pd.DataFrame:
    """The rows whose ``column``, read as text, does not wholly match the regular expression ``pattern``."""
    require_columns(frame, [column])
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"{pattern!r} is not a regular expression: {error}") from error
    values = frame[column]
    missing = values.isna()
    matches = values.astype("string").str.fullmatch(pattern).fillna(False).astype(bool)
    wrong = ~matches & ~missing
    if not allow_missing:
        wrong |= missing
    return failing(frame, wrong)
