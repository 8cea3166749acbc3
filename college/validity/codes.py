"""Coded values checked against a code list (ICD-10, OPCS-4, ECDS SNOMED CT, NHS Data Dictionary codes)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from college.validity._frames import failing, require_columns


def codes_not_in_list(
    frame: pd.DataFrame,
    column: str,
    allowed: Iterable[object],
    *,
    allow_missing: bool = False,
) -> pd.DataFrame:
    """The rows whose ``column`` holds a value that is not in ``allowed``.

    Codes are compared as written: ``"21"`` is not ``21`` and ``"I21.9"`` is not ``"I219"``. Read coded
    columns with the type their code list uses (text for ICD-10, OPCS-4 and admission method; whole numbers
    for SNOMED CT concept ids). With ``allow_missing`` an empty value passes; otherwise it fails.
    """
    require_columns(frame, [column])
    allowed_values = list(allowed)
    if not allowed_values:
        raise ValueError("the code list is empty: every row would fail")
    values = frame[column]
    missing = values.isna()
    unknown = ~values.isin(allowed_values) & ~missing
    if not allow_missing:
        unknown |= missing
    return failing(frame, unknown)
