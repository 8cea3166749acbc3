"""Reusable validity checks for NHS data.

Every check takes a pandas DataFrame and the column(s) to test and returns the *failing rows* as a DataFrame
(with their original index), so that you can count them, look at them and fix them:

>>> import pandas as pd
>>> from college.validity import invalid_nhs_numbers
>>> frame = pd.DataFrame({"nhs_number": ["943 476 5919", "9434765918", None]})
>>> invalid_nhs_numbers(frame).index.tolist()
[1, 2]

``nhs_number_is_valid`` tests a single value.
"""

from college.validity.codes import codes_not_in_list
from college.validity.dates import dates_out_of_order
from college.validity.duplicates import duplicate_rows, duplicate_values
from college.validity.nhs_number import (
    TEST_RANGE,
    invalid_nhs_numbers,
    nhs_number_check_digit,
    nhs_number_is_valid,
    nhs_numbers_outside_test_range,
)
from college.validity.ranges import values_not_matching, values_out_of_range

__all__ = [
    "TEST_RANGE",
    "codes_not_in_list",
    "dates_out_of_order",
    "duplicate_rows",
    "duplicate_values",
    "invalid_nhs_numbers",
    "nhs_number_check_digit",
    "nhs_number_is_valid",
    "nhs_numbers_outside_test_range",
    "values_not_matching",
    "values_out_of_range",
]
