"""Duplicate records: rows that repeat an earlier row."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from college.validity._frames import failing, require_columns


def duplicate_rows(
    frame: pd.DataFrame,
    subset: Sequence[str] | None = None,
    *,
    ignore: Sequence[str] = (),
) -> pd.DataFrame:
    """The rows that repeat an earlier row, leaving out the first copy of each.

    Args:
        frame: the data, in the order records arrived (the first copy is kept, later copies are returned).
        subset: the columns that must all match for two rows to count as duplicates; all columns by default.
        ignore: columns to leave out of the comparison, typically a record identifier that a resubmitted
            record gets afresh.

    To see every copy, including the first, use ``frame[frame.duplicated(subset, keep=False)]``.
    """
    columns = list(frame.columns if subset is None else subset)
    require_columns(frame, [*columns, *ignore])
    compared = [column for column in columns if column not in set(ignore)]
    if not compared:
        raise ValueError("no columns left to compare once the ignored ones are left out")
    return failing(frame, frame.duplicated(subset=compared, keep="first"))


def duplicate_values(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Every row whose ``column`` value also appears in another row (for identifiers that must be unique)."""
    require_columns(frame, [column])
    values = frame[column]
    return failing(frame, values.duplicated(keep=False) & values.notna())
