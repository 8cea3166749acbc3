"""The validity checks find exactly the deliberately bad records listed in the answer key, and nothing else."""

from __future__ import annotations

import pandas as pd

from college.data.dictionary import load_dictionary
from college.validity import (
    codes_not_in_list,
    dates_out_of_order,
    duplicate_rows,
    invalid_nhs_numbers,
    nhs_numbers_outside_test_range,
)

DICTIONARY = load_dictionary()
CODED = {
    "department_type": "ecds_department_type",
    "arrival_mode": "ecds_arrival_mode",
    "acuity": "ecds_acuity",
    "discharge_destination": "ecds_discharge_destination",
}


def _planted(tables: dict[str, pd.DataFrame], problem: str) -> set[str]:
    key = tables["ae_attendances_quality"]
    return set(key.loc[key["problem"] == problem, "attendance_id"])


def test_every_kind_of_problem_is_planted(small_tables: dict[str, pd.DataFrame]) -> None:
    key = small_tables["ae_attendances_quality"]
    assert set(key["problem"]) == {
        "departure_before_arrival",
        "invalid_nhs_number",
        "unknown_code",
        "duplicate",
    }
    share = len(key) / len(small_tables["ae_attendances"])
    assert 0.01 <= share <= 0.02


def test_date_order_check_finds_exactly_the_departures_before_arrival(
    small_tables: dict[str, pd.DataFrame],
) -> None:
    found = dates_out_of_order(
        small_tables["ae_attendances"], "arrival_datetime", "departure_datetime", allow_equal=False
    )
    assert set(found["attendance_id"]) == _planted(small_tables, "departure_before_arrival")


def test_nhs_number_check_finds_exactly_the_bad_check_digits(small_tables: dict[str, pd.DataFrame]) -> None:
    found = invalid_nhs_numbers(small_tables["ae_attendances"], "nhs_number")
    assert set(found["attendance_id"]) == _planted(small_tables, "invalid_nhs_number")
    # The bad numbers are still test-range numbers: no real person's number can appear by accident.
    assert nhs_numbers_outside_test_range(small_tables["ae_attendances"]).empty


def test_code_list_checks_find_exactly_the_unknown_codes(small_tables: dict[str, pd.DataFrame]) -> None:
    attendances = small_tables["ae_attendances"]
    key = small_tables["ae_attendances_quality"]
    found: set[str] = set()
    for column, list_id in CODED.items():
        failing = codes_not_in_list(attendances, column, DICTIONARY.code_list(list_id).values)
        expected = set(
            key.loc[(key["problem"] == "unknown_code") & (key["column"] == column), "attendance_id"]
        )
        assert set(failing["attendance_id"]) == expected, column
        found |= expected
    assert found == _planted(small_tables, "unknown_code")


def test_duplicate_check_finds_exactly_the_copies(small_tables: dict[str, pd.DataFrame]) -> None:
    attendances = small_tables["ae_attendances"]
    found = duplicate_rows(attendances, ignore=["attendance_id"])
    assert set(found["attendance_id"]) == _planted(small_tables, "duplicate")
    key = small_tables["ae_attendances_quality"].set_index("attendance_id")
    by_id = attendances.set_index("attendance_id")
    for copy in found["attendance_id"]:
        original = key.loc[copy, "duplicate_of"]
        assert by_id.loc[copy].equals(by_id.loc[original])
