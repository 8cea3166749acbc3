"""NHS number checks: the Modulus 11 algorithm, single values and whole columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from college.validity import (
    invalid_nhs_numbers,
    nhs_number_check_digit,
    nhs_number_is_valid,
    nhs_numbers_outside_test_range,
)
from college.validity.nhs_number import check_digits


def _independent_check_digit(first_nine: str) -> int | None:
    """The algorithm written out longhand, as an independent oracle."""
    total = 0
    for position, digit in enumerate(first_nine):
        total += int(digit) * (10 - position)
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def test_the_published_example_is_valid() -> None:
    # 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9.
    assert nhs_number_check_digit("943476591") == 9
    assert nhs_number_is_valid("9434765919")
    assert nhs_number_is_valid("943 476 5919")
    assert nhs_number_is_valid(9434765919)


def test_a_remainder_of_zero_gives_check_digit_zero_and_ten_is_never_valid() -> None:
    assert nhs_number_check_digit("999000000") == _independent_check_digit("999000000")
    zero = next(
        f"{n:09d}" for n in range(999_000_000, 999_001_000) if _independent_check_digit(f"{n:09d}") == 0
    )
    never = next(
        f"{n:09d}" for n in range(999_000_000, 999_001_000) if _independent_check_digit(f"{n:09d}") is None
    )
    assert nhs_number_check_digit(zero) == 0 and nhs_number_is_valid(zero + "0")
    assert nhs_number_check_digit(never) is None
    assert not any(nhs_number_is_valid(never + str(digit)) for digit in range(10))


@given(st.integers(min_value=0, max_value=999_999_999))
def test_check_digit_agrees_with_the_longhand_algorithm(stem: int) -> None:
    first_nine = f"{stem:09d}"
    assert nhs_number_check_digit(first_nine) == _independent_check_digit(first_nine)
    expected = _independent_check_digit(first_nine)
    assert int(check_digits(np.array([stem]))[0]) == (10 if expected is None else expected)


@given(st.integers(min_value=0, max_value=999_999_999), st.integers(min_value=0, max_value=9))
def test_exactly_one_final_digit_is_valid_unless_none_is(stem: int, digit: int) -> None:
    first_nine = f"{stem:09d}"
    valid = nhs_number_is_valid(first_nine + str(digit))
    assert valid == (_independent_check_digit(first_nine) == digit)


@pytest.mark.parametrize(
    "value",
    [None, "", "943476591", "94347659190", "943-476-5919", "94347 65919", "abcdefghij", 9434765919.0, True],
)
def test_malformed_values_are_invalid(value: object) -> None:
    assert not nhs_number_is_valid(value)


def test_invalid_nhs_numbers_returns_the_failing_rows() -> None:
    frame = pd.DataFrame(
        {"id": [1, 2, 3, 4, 5], "nhs_number": ["9434765919", "9434765918", None, "943 476 5919", "12345"]}
    )
    failing = invalid_nhs_numbers(frame)
    assert failing["id"].tolist() == [2, 3, 5]
    assert list(failing.index) == [1, 2, 4]


def test_columns_read_as_numbers_are_checked_too() -> None:
    as_integers = pd.DataFrame({"nhs_number": [9434765919, 9434765918]})
    assert invalid_nhs_numbers(as_integers).index.tolist() == [1]
    with_gaps = pd.DataFrame({"nhs_number": [9434765919.0, np.nan, 9434765918.0]})
    assert invalid_nhs_numbers(with_gaps).index.tolist() == [1, 2]


def test_numbers_outside_the_test_range_are_found() -> None:
    frame = pd.DataFrame({"nhs_number": ["9990000018", "9434765919", "999 999 9999", "99900000"]})
    assert nhs_numbers_outside_test_range(frame).index.tolist() == [1, 3]


def test_a_missing_column_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="'nhs_no'"):
        invalid_nhs_numbers(pd.DataFrame({"nhs_number": []}), "nhs_no")


def test_check_digit_needs_nine_digits() -> None:
    with pytest.raises(ValueError, match="nine digits"):
        nhs_number_check_digit("12345")


def test_the_examples_in_the_documentation_run() -> None:
    import doctest

    import college.validity
    import college.validity.nhs_number

    for module in (college.validity, college.validity.nhs_number):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
