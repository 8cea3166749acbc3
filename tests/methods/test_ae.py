"""The A&E four-hour standard: boundary cases and a small hand-worked example by department type."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from college.data.dictionary import load_dictionary
from college.methods.ae import (
    CONSTITUTION_STANDARD,
    DEPARTMENT_TYPES,
    GROUPS,
    PLANNING_TARGET_MARCH_2026,
    PLANNING_TARGET_MARCH_2027,
    can_be_timed,
    four_hour_performance,
    four_hour_performance_by_type,
    same_minute_departures,
    within_four_hours,
)

ARRIVAL = pd.Timestamp("2023-03-01 10:00:00")


def attendances(minutes: list[float | None], types: list[int | str] | None = None) -> pd.DataFrame:
    departures = [None if m is None else ARRIVAL + pd.Timedelta(minutes=m) for m in minutes]
    frame = pd.DataFrame({"arrival_datetime": [ARRIVAL] * len(minutes), "departure_datetime": departures})
    if types is not None:
        frame["department_type"] = types
    return frame


def test_standards() -> None:
    # NHS Constitution: 95 % (NHS Digital, HES A&E 2020-21); medium term planning framework (October 2025):
    # 82 % by March 2027; history: 2025/26 planning guidance, 78 % in March 2026.
    assert CONSTITUTION_STANDARD == 0.95
    assert PLANNING_TARGET_MARCH_2027 == 0.82
    assert PLANNING_TARGET_MARCH_2026 == 0.78


def test_department_types_are_the_data_dictionary_national_codes() -> None:
    # NHS Data Model and Dictionary, EMERGENCY CARE DEPARTMENT TYPE: 01 to 04 (04: NHS walk-in centres).
    assert DEPARTMENT_TYPES == (1, 2, 3, 4)
    listed = load_dictionary().code_list("ecds_department_type")
    assert tuple(int(code.code) for code in listed.codes) == DEPARTMENT_TYPES
    assert "walk-in" in listed.codes[3].description


class TestSameMinuteDepartures:
    """One rule: a departure in the same minute as the arrival is timed and within 4 hours, and flagged."""

    def test_zero_minutes_can_be_timed_and_is_within(self) -> None:
        frame = attendances([0, 0.5, 1, -1, None])
        arrivals, departures = frame["arrival_datetime"], frame["departure_datetime"]
        assert can_be_timed(arrivals, departures).tolist() == [True, True, True, False, False]
        assert within_four_hours(arrivals, departures).tolist() == [True, True, True, False, False]
        assert same_minute_departures(arrivals, departures).tolist() == [True, True, False, False, False]

    def test_zero_minutes_counts_in_the_performance(self) -> None:
        result = four_hour_performance(
            attendances([0, 300]), arrival_column="arrival_datetime", departure_column="departure_datetime"
        )
        assert (result.attendances, result.within_4_hours, result.excluded) == (2, 1, 0)


class TestBoundary:
    def test_four_hours_or_less(self) -> None:
        frame = attendances([0, 239, 240, 240 + 1 / 60, 241, 600])
        flags = within_four_hours(frame["arrival_datetime"], frame["departure_datetime"])
        assert flags.tolist() == [True, True, True, False, False, False]

    def test_across_midnight(self) -> None:
        arrivals = pd.Series(pd.to_datetime(["2023-03-01 22:30"]))
        departures = pd.Series(pd.to_datetime(["2023-03-02 02:30"]))
        assert within_four_hours(arrivals, departures).tolist() == [True]

    def test_strings_are_read_as_datetimes(self) -> None:
        arrivals = pd.Series(["2023-03-01 10:00:00"])
        departures = pd.Series(["2023-03-01 14:00:00"])
        assert within_four_hours(arrivals, departures).tolist() == [True]


class TestPerformance:
    def test_hand_worked(self) -> None:
        # Ten attendances: 30, 120, 240, 241, 300 minutes at type 1; 20, 250 at type 2; 45 at type 3;
        # 60 and 260 at type 4 (walk-in centres). Type 1: 3 of 5 within (30, 120, 240). Types 3 and 4: 2 of 3
        # (45, 60). Types 2 to 4: 3 of 5 (20, 45, 60). All: 6 of 10 = 60 %.
        frame = attendances(
            [30, 120, 240, 241, 300, 20, 250, 45, 60, 260], [1, 1, 1, 1, 1, "02", "02", "03", 4, "04"]
        )
        overall = four_hour_performance(
            frame, arrival_column="arrival_datetime", departure_column="departure_datetime"
        )
        assert (overall.attendances, overall.within_4_hours, overall.over_4_hours) == (10, 6, 4)
        assert overall.share_within_4_hours == pytest.approx(0.6)

        table = four_hour_performance_by_type(
            frame,
            arrival_column="arrival_datetime",
            departure_column="departure_datetime",
            department_type_column="department_type",
        )
        assert tuple(table.index) == GROUPS
        assert table.loc["type 1", "within_4_hours"] == 3 and table.loc["type 1", "attendances"] == 5
        assert table.loc["type 2", "share_within_4_hours"] == pytest.approx(0.5)
        assert table.loc["type 3", "share_within_4_hours"] == pytest.approx(1.0)
        assert table.loc["type 4", "attendances"] == 2 and table.loc["type 4", "within_4_hours"] == 1
        assert table.loc["types 3 and 4", "share_within_4_hours"] == pytest.approx(2 / 3)
        assert table.loc["types 2 to 4", "share_within_4_hours"] == pytest.approx(3 / 5)
        assert table.loc["all types", "share_within_4_hours"] == pytest.approx(0.6)
        assert table.loc["all types", "attendances"] == 10  # walk-in centres are not dropped from all types

    def test_group_with_no_attendances(self) -> None:
        table = four_hour_performance_by_type(
            attendances([30], [1]),
            arrival_column="arrival_datetime",
            departure_column="departure_datetime",
            department_type_column="department_type",
        )
        assert table.loc["type 2", "attendances"] == 0
        assert math.isnan(float(table.loc["type 2", "share_within_4_hours"]))  # type: ignore[arg-type]


class TestInvalid:
    def frame(self) -> pd.DataFrame:
        # A departure before the arrival (-5 minutes) and a missing departure cannot be timed.
        return attendances([30, -5, None, 300], [1, 1, 3, 3])

    def test_raise_by_default(self) -> None:
        with pytest.raises(ValueError, match=r"2 attendance\(s\) cannot be timed.*first at index 1"):
            four_hour_performance(
                self.frame(), arrival_column="arrival_datetime", departure_column="departure_datetime"
            )

    def test_exclude_and_count(self) -> None:
        result = four_hour_performance(
            self.frame(),
            arrival_column="arrival_datetime",
            departure_column="departure_datetime",
            on_invalid="exclude",
        )
        assert (result.attendances, result.within_4_hours, result.excluded) == (2, 1, 2)
        table = four_hour_performance_by_type(
            self.frame(),
            arrival_column="arrival_datetime",
            departure_column="departure_datetime",
            department_type_column="department_type",
            on_invalid="exclude",
        )
        assert table.loc["type 1", "excluded"] == 1 and table.loc["type 3", "excluded"] == 1
        assert table.loc["all types", "excluded"] == 2

    def test_bad_option(self) -> None:
        with pytest.raises(ValueError, match="on_invalid must be"):
            four_hour_performance(
                self.frame(),
                arrival_column="arrival_datetime",
                departure_column="departure_datetime",
                on_invalid="ignore",  # type: ignore[arg-type]
            )

    def test_bad_department_type(self) -> None:
        with pytest.raises(ValueError, match=r"department types must be 1, 2, 3 or 4.*'05'"):
            four_hour_performance_by_type(
                attendances([30, 40], [1, "05"]),
                arrival_column="arrival_datetime",
                departure_column="departure_datetime",
                department_type_column="department_type",
            )

    def test_missing_column(self) -> None:
        with pytest.raises(ValueError, match=r"missing column.*'departure_time'"):
            four_hour_performance(
                self.frame(), arrival_column="arrival_datetime", departure_column="departure_time"
            )
