"""NHS numbers: format, the Modulus 11 check digit, and the range reserved for testing.

An NHS number has ten digits. The tenth is a check digit computed from the first nine: multiply them by the
weights 10, 9, … 2, add the products, take the remainder on division by 11 and subtract it from 11. A result
of 11 gives the check digit 0; a result of 10 means the first nine digits can never form a valid number.

Source for the format and the check digit: NHS Data Model and Dictionary, NHS NUMBER,
https://www.datadictionary.nhs.uk/data_elements/nhs_number.html

The test range, 999 000 0000 to 999 999 9999, is *not* in that source. It is the range the NHS uses for test and
training data, never issued to patients, as described for example in the NHS number article on Wikipedia
(https://en.wikipedia.org/wiki/NHS_number) and the open-source NHS number libraries; we have not found it in a
primary NHS England publication, so treat it as a well-established convention, and check with your own
organisation's test data guidance before relying on it outside this course.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from college.validity._frames import failing, require_columns

TEST_RANGE = (9_990_000_000, 9_999_999_999)
"""The first and last NHS numbers reserved for testing (999 000 0000 and 999 999 9999)."""

_FORMAT = re.compile(r"^\d{10}$")
_SPACED = re.compile(r"^\d{3} \d{3} \d{4}$")


def nhs_number_check_digit(first_nine: str | int) -> int | None:
    """The check digit for the first nine digits of an NHS number, or None when no digit can be valid.

    >>> nhs_number_check_digit("943476591")
    9
    """
    text = str(first_nine)
    if not re.fullmatch(r"\d{9}", text):
        raise ValueError(f"expected nine digits, got {first_nine!r}")
    total = sum(int(digit) * weight for digit, weight in zip(text, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def _normalise(value: object) -> str | None:
    """Ten digits as text, or None when the value cannot be an NHS number (wrong type, length or characters)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | np.integer):
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
        if _SPACED.fullmatch(text):
            text = text.replace(" ", "")
    else:
        return None
    return text if _FORMAT.fullmatch(text) else None


def nhs_number_is_valid(value: object) -> bool:
    """Whether a single value is a valid NHS number: ten digits whose last digit is the Modulus 11 check digit.

    Accepts an integer or text, with or without the usual spaces (``"943 476 5919"``). Anything else, such as a
    float, a missing value or text with other characters, is not valid.

    >>> nhs_number_is_valid("943 476 5919")
    True
    >>> nhs_number_is_valid(9434765918)
    False
    """
    text = _normalise(value)
    if text is None:
        return False
    return bool(nhs_number_check_digit(text[:9]) == int(text[9]))


def check_digits(first_nine: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Vectorised check digits for an array of nine-digit numbers; 10 marks numbers that can never be valid."""
    remaining = np.asarray(first_nine, dtype=np.int64).copy()
    total = np.zeros(len(remaining), dtype=np.int64)
    for weight in range(2, 11):  # the last digit has weight 2, the first weight 10
        total += (remaining % 10) * weight
        remaining //= 10
    check = 11 - total % 11
    return np.where(check == 11, 0, check)


def _as_text(values: pd.Series) -> pd.Series:
    """The values as text without spaces; whole-number floats (a column with gaps read by pandas) become digits."""
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.notna() & np.isfinite(values) & (values == np.floor(values))
        values = values.where(whole).astype("Int64")
    text = values.astype("string").str.strip()
    return text.str.replace(r"^(\d{3}) (\d{3}) (\d{4})$", r"\1\2\3", regex=True)


def _digits(values: pd.Series) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Which values are ten digits, and those digits as numbers (0 elsewhere)."""
    text = _as_text(values)
    ten_digits = text.str.fullmatch(r"\d{10}").fillna(False).to_numpy(dtype=bool)
    numbers = np.zeros(len(values), dtype=np.int64)
    numbers[ten_digits] = text[ten_digits].astype("int64").to_numpy()
    return ten_digits, numbers


def _valid_mask(values: pd.Series) -> npt.NDArray[np.bool_]:
    """Vectorised validity of every value of a Series (integers, or text with or without spaces)."""
    ten_digits, numbers = _digits(values)
    return ten_digits & (check_digits(numbers // 10) == numbers % 10)


def invalid_nhs_numbers(frame: pd.DataFrame, column: str = "nhs_number") -> pd.DataFrame:
    """The rows whose NHS number is missing, not ten digits, or fails the Modulus 11 check."""
    require_columns(frame, [column])
    return failing(frame, pd.Series(~_valid_mask(frame[column]), index=frame.index))


def nhs_numbers_outside_test_range(frame: pd.DataFrame, column: str = "nhs_number") -> pd.DataFrame:
    """The rows whose NHS number is not a ten-digit number from 999 000 0000 to 999 999 9999.

    Use it to prove that a synthetic or test data set holds no number that could belong to a real patient.
    """
    require_columns(frame, [column])
    ten_digits, numbers = _digits(frame[column])
    inside = ten_digits & (numbers >= TEST_RANGE[0]) & (numbers <= TEST_RANGE[1])
    return failing(frame, pd.Series(~inside, index=frame.index))
