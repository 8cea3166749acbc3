"""Date order, code lists, ranges, patterns and duplicates: each check returns exactly the failing rows."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from college.validity import (
    codes_not_in_list,
    dates_out_of_order,
    duplicate_rows,
    duplicate_values,
    values_not_matching,
    values_out_of_range,
)

ATTENDANCES = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e"],
        "arrival": pd.to_datetime(pd.Series(["2023-01-01 10:00", "2023-01-01 11:00", "2023-01-01 12:00", None, "2023-01-02 09:00"])),
        "departure": pd.to_datetime(["2023-01-01 13:00", "2023-01-01 10:30", "2023-01-01 12:00", "2023-01-01 14:00", "2023-01-02 10:00"]),
        "acuity": [1064891000000107, 99, 1077241000000103, None, 1077251000000100],
        "diagnosis": ["I21.9", "I219", "J18.9", "R07.4", None],
        "age": [34, -1, 120, 50, None],
    }
)  # fmt: skip


def test_dates_out_of_order() -> None:
    assert dates_out_of_order(ATTENDANCES, "arrival", "departure")["id"].tolist() == ["b"]
    assert dates_out_of_order(ATTENDANCES, "arrival", "departure", allow_equal=False)["id"].tolist() == [
        "b",
        "c",
    ]
    assert dates_out_of_order(ATTENDANCES, "arrival", "departure", allow_missing=False)["id"].tolist() == [
        "b",
        "d",
    ]


def test_dates_given_as_text_are_read() -> None:
    frame = pd.DataFrame({"start": ["2023-01-02", "2023-01-01"], "stop": ["2023-01-01", "2023-01-03"]})
    assert dates_out_of_order(frame, "start", "stop").index.tolist() == [0]


def test_text_that_is_not_a_date_is_an_error_naming_the_column() -> None:
    frame = pd.DataFrame({"start": ["yesterday"], "stop": ["2023-01-01"]})
    with pytest.raises(ValueError, match="'start'"):
        dates_out_of_order(frame, "start", "stop")


def test_codes_not_in_list() -> None:
    snomed = {1064891000000107, 1077241000000103, 1077251000000100}
    assert codes_not_in_list(ATTENDANCES, "acuity", snomed)["id"].tolist() == ["b", "d"]
    assert codes_not_in_list(ATTENDANCES, "acuity", snomed, allow_missing=True)["id"].tolist() == ["b"]
    icd10 = {"I21.9", "J18.9", "R07.4"}
    assert codes_not_in_list(ATTENDANCES, "diagnosis", icd10, allow_missing=True)["id"].tolist() == ["b"]


def test_an_empty_code_list_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        codes_not_in_list(ATTENDANCES, "acuity", [])


def test_values_out_of_range() -> None:
    assert values_out_of_range(ATTENDANCES, "age", 0, 104)["id"].tolist() == ["b", "c", "e"]
    assert values_out_of_range(ATTENDANCES, "age", 0, 104, allow_missing=True)["id"].tolist() == ["b", "c"]
    assert values_out_of_range(ATTENDANCES, "age", maximum=100, allow_missing=True)["id"].tolist() == ["c"]
    late = values_out_of_range(ATTENDANCES, "departure", maximum="2023-01-01 23:59:59")
    assert late["id"].tolist() == ["e"]


def test_a_range_needs_a_limit() -> None:
    with pytest.raises(ValueError, match="minimum"):
        values_out_of_range(ATTENDANCES, "age")


@given(
    st.lists(st.integers(min_value=-50, max_value=50), max_size=30), st.integers(-20, 0), st.integers(0, 20)
)
def test_range_check_returns_exactly_the_values_outside(values: list[int], low: int, high: int) -> None:
    frame = pd.DataFrame({"value": values}, dtype="int64")
    failing = values_out_of_range(frame, "value", low, high)
    assert sorted(failing["value"].tolist()) == sorted(value for value in values if not low <= value <= high)


def test_values_not_matching() -> None:
    assert values_not_matching(ATTENDANCES, "diagnosis", r"[A-Z]\d{2}\.\d", allow_missing=True)[
        "id"
    ].tolist() == ["b"]
    with pytest.raises(ValueError, match="regular expression"):
        values_not_matching(ATTENDANCES, "diagnosis", "[")


def test_duplicate_rows_keeps_the_first_copy() -> None:
    frame = pd.DataFrame({"id": [1, 2, 3, 4], "nhs_number": ["x", "y", "x", "x"], "arrival": [1, 2, 1, 1]})
    assert duplicate_rows(frame, ignore=["id"])["id"].tolist() == [3, 4]
    assert duplicate_rows(frame, subset=["nhs_number"])["id"].tolist() == [3, 4]
    assert duplicate_rows(frame).empty  # the identifiers differ


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=40))
def test_duplicate_rows_agrees_with_a_set_of_seen_rows(rows: list[tuple[int, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b"], dtype="int64")
    seen: set[tuple[int, int]] = set()
    expected = []
    for position, row in enumerate(rows):
        if row in seen:
            expected.append(position)
        seen.add(row)
    assert duplicate_rows(frame).index.tolist() == expected


def test_duplicate_values_returns_every_copy() -> None:
    frame = pd.DataFrame({"attendance_id": ["A", "B", "A", None, None]})
    assert duplicate_values(frame, "attendance_id").index.tolist() == [0, 2]


def test_every_check_names_a_missing_column() -> None:
    frame = pd.DataFrame({"x": [1]})
    for check in (
        lambda: dates_out_of_order(frame, "x", "y"),
        lambda: codes_not_in_list(frame, "y", [1]),
        lambda: values_out_of_range(frame, "y", 0),
        lambda: values_not_matching(frame, "y", "."),
        lambda: duplicate_rows(frame, ["y"]),
        lambda: duplicate_values(frame, "y"),
    ):
        with pytest.raises(ValueError, match="'y'"):
            check()


def test_a_non_frame_is_refused() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        codes_not_in_list([1, 2], "x", [1])  # type: ignore[arg-type]
