"""Does a table match its entry in the data dictionary? Columns, types, allowed values, uniqueness and order rules.

Each problem carries the failing rows, found with the reusable checks of :mod:`college.validity`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from college.data.dictionary import DataDictionary, DatasetSpec, FieldSpec, load_dictionary, parse_bound
from college.validity import (
    codes_not_in_list,
    dates_out_of_order,
    duplicate_values,
    invalid_nhs_numbers,
    nhs_numbers_outside_test_range,
    values_not_matching,
    values_out_of_range,
)


@dataclass(frozen=True)
class Nonconformity:
    """One way a table breaks its dictionary entry."""

    dataset: str
    column: str
    check: str
    rows: pd.DataFrame
    """The failing rows (empty for a missing or undocumented column)."""

    def __str__(self) -> str:
        count = f"{len(self.rows):,} row(s)" if len(self.rows) else "the column"
        return f"{self.dataset}.{self.column}: {self.check} fails for {count}"


def column_differences(frame: pd.DataFrame, spec: DatasetSpec) -> tuple[list[str], list[str]]:
    """Columns the dictionary documents but the table lacks, and columns the table has but nobody documented."""
    present = [str(column) for column in frame.columns]
    missing = [column for column in spec.columns if column not in present]
    undocumented = [column for column in present if column not in spec.columns]
    return missing, undocumented


def _bound(value: object, field: FieldSpec) -> object:
    if value is None or field.type not in ("date", "datetime"):
        return value
    return pd.Timestamp(parse_bound(str(value), field.type))


def field_nonconformities(
    frame: pd.DataFrame, spec: DatasetSpec, field: FieldSpec, dictionary: DataDictionary
) -> list[Nonconformity]:
    """Every allowed-value problem of one column."""
    found: list[Nonconformity] = []

    def record(check: str, rows: pd.DataFrame) -> None:
        if len(rows):
            found.append(Nonconformity(spec.name, field.name, check, rows))

    present = frame[frame[field.name].notna()]
    if not field.nullable:
        record("missing value", frame[frame[field.name].isna()])
    allowed = field.allowed
    if allowed is not None:
        if allowed.code_list is not None:
            record("code list " + allowed.code_list,
                   codes_not_in_list(present, field.name, dictionary.code_list(allowed.code_list).values))  # fmt: skip
        if allowed.values is not None:
            record("allowed values", codes_not_in_list(present, field.name, allowed.values))
        if allowed.minimum is not None or allowed.maximum is not None:
            record(
                "range",
                values_out_of_range(
                    present, field.name, _bound(allowed.minimum, field), _bound(allowed.maximum, field)
                ),
            )
        if allowed.pattern is not None:
            record("pattern", values_not_matching(present, field.name, allowed.pattern))
        if allowed.nhs_number:
            record("NHS number check digit", invalid_nhs_numbers(present, field.name))
            record("NHS number test range", nhs_numbers_outside_test_range(present, field.name))
    if field.unique:
        record("unique", duplicate_values(present, field.name))
    return found


def nonconformities(
    frame: pd.DataFrame, spec: DatasetSpec, dictionary: DataDictionary | None = None
) -> list[Nonconformity]:
    """Everything about a table that breaks its dictionary entry (read it with :func:`read_csv_typed` first)."""
    dictionary = dictionary or load_dictionary()
    missing, undocumented = column_differences(frame, spec)
    found = [
        Nonconformity(spec.name, column, "documented but missing", frame.iloc[0:0]) for column in missing
    ]
    found += [
        Nonconformity(spec.name, column, "present but undocumented", frame.iloc[0:0])
        for column in undocumented
    ]
    for field in spec.fields:
        if field.name in frame.columns:
            found += field_nonconformities(frame, spec, field, dictionary)
    for rule in spec.rules:
        if rule.earlier in frame.columns and rule.later in frame.columns:
            rows = dates_out_of_order(frame, rule.earlier, rule.later, allow_equal=rule.allow_equal)
            if len(rows):
                found.append(Nonconformity(spec.name, f"{rule.earlier} → {rule.later}", "order", rows))
    return found
