"""The A&E four-hour standard: the share of attendances admitted, transferred or discharged within 4 hours.

Sources
-------
- NHS England, *A&E Attendances and Emergency Admissions* statistics: the number and share of attendances
  spending 4 hours or less in A&E from arrival to admission, transfer or discharge. The collection covers every
  A&E type, minor injury units and walk-in centres included, and is published for type 1 (major emergency
  departments), type 2 (single-specialty) and "other" A&E departments (type 3 urgent treatment centres and minor
  injury units, with type 4 walk-in centres counted among them), and for all types together.
  https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/
- NHS Data Model and Dictionary, EMERGENCY CARE DEPARTMENT TYPE: the national codes are 01 (consultant-led
  24-hour emergency department), 02 (consultant-led single-specialty service), 03 (other A&E or minor injury
  activity, urgent treatment centres included, walk-in centres excluded) and 04 (NHS walk-in centres).
  https://www.datadictionary.nhs.uk/data_elements/emergency_care_department_type.html
- NHS Digital, *Hospital Accident and Emergency Activity 2020-21*, "Performance times": the NHS Constitution
  standard is the percentage of attendances discharged, admitted or transferred spending 4 hours or less in
  A&E, 95 % since July 2010 (98 % before).
  https://digital.nhs.uk/data-and-information/publications/statistical/hospital-accident--emergency-activity/2020-21/performance-times
- NHS England and DHSC, *Medium term planning framework: delivering change together 2026/27 to 2028/29*
  (24 October 2025), the planning document in force for 2026/27: 82 % of patients admitted, transferred or
  discharged within 4 hours by March 2027, with further improvement in the framework's later years.
  https://www.england.nhs.uk/long-read/medium-term-planning-framework-delivering-change-together-2026-27-to-2028-29/
- History: NHS England's *2025/26 priorities and operational planning guidance* (30 January 2025) asked for a
  minimum of 78 % within 4 hours in March 2026.
  https://www.england.nhs.uk/long-read/2025-26-priorities-and-operational-planning-guidance/

How this module counts
----------------------
- Time in the department is departure minus arrival. "Within 4 hours" means 4 hours *or less*: a stay of
  exactly 240 minutes is within; 240 minutes and one second is not.
- Attendances with a missing arrival or departure, or a departure before the arrival, cannot be timed. By
  default they raise an error that counts them; with ``on_invalid="exclude"`` they are left out of every
  group and counted in ``excluded``.
- **A departure in the same minute as the arrival is timed, and counted as within 4 hours.** It is possible
  (a patient who leaves at once, or is redirected on arrival) and it is also a common recording error (the
  departure time defaulted to the arrival time). Excluding such stays as impossible would silently drop
  attendances that may be real; counting them keeps every attendance that can be timed, and
  :func:`same_minute_departures` lists them, so that their number is checked and reported like any other
  recording issue.
  The college uses this one rule on every page, exercise and method (``tests/content`` checks it).
- The function uses the arrival time it is given. NHS England's guidance also says when the clock starts
  for patients who arrive by ambulance (our understanding: at handover, or 15 minutes after the ambulance
  arrives if that is earlier); we have not confirmed the current wording, so check the guidance above if
  your arrival times come from ambulance records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from college.columns import require_columns

FOUR_HOURS = pd.Timedelta(hours=4)
CONSTITUTION_STANDARD = 0.95
"""The NHS Constitution standard: 95 % within 4 hours (since July 2010)."""
PLANNING_TARGET_MARCH_2027 = 0.82
"""The medium term planning framework (October 2025) for 2026/27: 82 % within 4 hours by March 2027."""
PLANNING_TARGET_MARCH_2026 = 0.78
"""History: the 2025/26 planning guidance's minimum for March 2026, 78 % within 4 hours."""

DEPARTMENT_TYPES = (1, 2, 3, 4)
"""The national codes of EMERGENCY CARE DEPARTMENT TYPE: 01 to 04 (04: NHS walk-in centres)."""
GROUPS = ("all types", "type 1", "type 2", "type 3", "type 4", "types 3 and 4", "types 2 to 4")
"""Rows of :func:`four_hour_performance_by_type`, in order. "types 3 and 4" is the group NHS England's
statistics publish as other A&E departments (urgent treatment centres, minor injury units and walk-in
centres); "types 2 to 4" is every attendance outside type 1 departments."""

OnInvalid = Literal["raise", "exclude"]


@dataclass(frozen=True)
class FourHourPerformance:
    """Four-hour performance for one group of attendances."""

    group: str
    attendances: int
    """Attendances that could be timed."""
    within_4_hours: int
    over_4_hours: int
    share_within_4_hours: float
    """within_4_hours / attendances; NaN when there are no attendances in the group."""
    excluded: int
    """Attendances left out because they could not be timed (only with ``on_invalid="exclude"``)."""


def time_in_department(arrivals: pd.Series, departures: pd.Series) -> pd.Series:
    """Departure minus arrival, as a Series of time differences (missing where either time is missing)."""
    return pd.to_datetime(departures, errors="coerce") - pd.to_datetime(arrivals, errors="coerce")


def can_be_timed(arrivals: pd.Series, departures: pd.Series) -> pd.Series:
    """Whether each attendance can be timed: both times present and the departure not before the arrival.

    A departure in the same minute as the arrival can be timed (0 minutes); see the module notes.
    """
    duration = time_in_department(arrivals, departures)
    return duration.notna() & (duration >= pd.Timedelta(0))


def same_minute_departures(arrivals: pd.Series, departures: pd.Series) -> pd.Series:
    """Whether each attendance left in the same minute as it arrived: counted, but worth checking."""
    duration = time_in_department(arrivals, departures)
    return duration.notna() & (duration >= pd.Timedelta(0)) & (duration < pd.Timedelta(minutes=1))


def within_four_hours(arrivals: pd.Series, departures: pd.Series) -> pd.Series:
    """Whether each attendance left within 4 hours or less of arriving (False where it cannot be timed)."""
    duration = time_in_department(arrivals, departures)
    return can_be_timed(arrivals, departures) & (duration <= FOUR_HOURS)


def four_hour_performance(
    attendances: pd.DataFrame,
    *,
    arrival_column: str,
    departure_column: str,
    on_invalid: OnInvalid = "raise",
    group: str = "all types",
) -> FourHourPerformance:
    """The share of attendances admitted, transferred or discharged within 4 hours of arrival.

    Raises:
        ValueError: a named column is missing, or (with ``on_invalid="raise"``) some attendances cannot be
            timed.
    """
    require_columns(attendances, [arrival_column, departure_column])
    valid = _valid_rows(attendances, arrival_column, departure_column, on_invalid)
    return _performance(attendances[valid], arrival_column, departure_column, group, int((~valid).sum()))


def four_hour_performance_by_type(
    attendances: pd.DataFrame,
    *,
    arrival_column: str,
    departure_column: str,
    department_type_column: str,
    on_invalid: OnInvalid = "raise",
) -> pd.DataFrame:
    """Four-hour performance for all types, each department type, and the groups NHS England publishes.

    Department types may be given as 1, 2, 3, 4 or as ECDS's "01", "02", "03", "04".

    Returns:
        One row per group in ``GROUPS`` (the index), with columns ``attendances``, ``within_4_hours``,
        ``over_4_hours``, ``share_within_4_hours`` and ``excluded``.

    Raises:
        ValueError: a named column is missing, a department type is not 1 to 4, or (with
            ``on_invalid="raise"``) some attendances cannot be timed.
    """
    require_columns(attendances, [arrival_column, departure_column, department_type_column])
    types = _department_types(attendances[department_type_column])
    valid = _valid_rows(attendances, arrival_column, departure_column, on_invalid)
    selections = {
        "all types": types.notna(),
        "type 1": types == 1,
        "type 2": types == 2,
        "type 3": types == 3,
        "type 4": types == 4,
        "types 3 and 4": types.isin([3, 4]),
        "types 2 to 4": types.isin([2, 3, 4]),
    }
    rows = []
    for name in GROUPS:
        chosen = selections[name]
        rows.append(
            _performance(
                attendances[chosen & valid],
                arrival_column,
                departure_column,
                name,
                int((chosen & ~valid).sum()),
            )
        )
    frame = pd.DataFrame(
        {
            "attendances": [r.attendances for r in rows],
            "within_4_hours": [r.within_4_hours for r in rows],
            "over_4_hours": [r.over_4_hours for r in rows],
            "share_within_4_hours": [r.share_within_4_hours for r in rows],
            "excluded": [r.excluded for r in rows],
        },
        index=pd.Index(GROUPS, name="group"),
    )
    return frame


def _performance(
    rows: pd.DataFrame, arrival_column: str, departure_column: str, group: str, excluded: int
) -> FourHourPerformance:
    within = int(within_four_hours(rows[arrival_column], rows[departure_column]).sum())
    total = len(rows)
    return FourHourPerformance(
        group=group,
        attendances=total,
        within_4_hours=within,
        over_4_hours=total - within,
        share_within_4_hours=within / total if total else float("nan"),
        excluded=excluded,
    )


def _valid_rows(
    frame: pd.DataFrame, arrival_column: str, departure_column: str, on_invalid: OnInvalid
) -> pd.Series:
    if on_invalid not in ("raise", "exclude"):
        raise ValueError(f'on_invalid must be "raise" or "exclude"; got {on_invalid!r}')
    valid = can_be_timed(frame[arrival_column], frame[departure_column])
    invalid_count = int((~valid).sum())
    if invalid_count and on_invalid == "raise":
        first = frame.index[(~valid).to_numpy()][0]
        raise ValueError(
            f"{invalid_count} attendance(s) cannot be timed: a missing or unreadable arrival or departure, "
            f"or a departure before the arrival (first at index {first!r}). Fix them, or pass "
            'on_invalid="exclude" to leave them out and count them.'
        )
    return valid


def _department_types(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce")
    bad = ~numbers.isin(DEPARTMENT_TYPES)
    if bad.any():
        examples = ", ".join(repr(v) for v in pd.unique(values[bad])[:5])
        raise ValueError(f"department types must be 1, 2, 3 or 4 (or 01 to 04); found {examples}")
    return numbers.astype("int64")
