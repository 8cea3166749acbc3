"""Referral to treatment (RTT) waiting times on incomplete pathways, measured as NHS England reports them.

Sources
-------
- Department of Health and Social Care, *Referral to treatment consultant-led waiting times: rules suite
  (October 2022)*: when a clock starts (rule 1: on referral to a consultant-led service; usually the date
  the provider receives the referral) and stops (first definitive treatment, or another clock-stopping
  event).
  https://www.gov.uk/government/publications/right-to-start-consultant-led-treatment-within-18-weeks/referral-to-treatment-consultant-led-waiting-times-rules-suite-october-2022
- GOV.UK, *Right to start consultant-led treatment within 18 weeks*: patient pauses were removed from
  1 October 2015, so a patient's choice to delay no longer stops or pauses the clock.
  https://www.gov.uk/government/publications/right-to-start-consultant-led-treatment-within-18-weeks
- NHS England, *Referral to Treatment (RTT) Waiting Times* statistics: the operational standard is that 92 %
  of patients on incomplete pathways should have been waiting no more than 18 weeks from referral (so a share
  of exactly 92 % meets it, as this module and the course count it);
  waits are published in weekly bands ("more than 0 up to 1 week", ..., "more than 17 up to 18 weeks", ...);
  and the published median and 92nd percentile waits are *estimated from those aggregate weekly bands*, not
  from patient-level data (Statistical Press Notices, for example February 2021).
  https://www.england.nhs.uk/statistics/statistical-work-areas/rtt-waiting-times/
- NHS England and DHSC, *Medium term planning framework: delivering change together 2026/27 to 2028/29*
  (October 2025), the planning document for 2026/27: every trust to improve its 18-week performance by at
  least 7 % or to reach 65 %, whichever is greater, for 70 % nationally by March 2027, and the 92 % standard in
  2028/29. History: the 2025/26 planning guidance asked for 65 % nationally by March 2026.
  https://www.england.nhs.uk/long-read/medium-term-planning-framework-delivering-change-together-2026-27-to-2028-29/

How this module counts, and what is our reading rather than a quoted rule
-------------------------------------------------------------------------
- **Days waited** at a census date are the calendar days from the clock start date to the census date:
  ``census_date - clock_start_date``. A clock that started on the census date has waited 0 days.
- **Completed weeks** are days waited divided by 7, rounded down (0 to 6 days is 0 completed weeks).
- **Within 18 weeks** means waiting *no more than* 18 weeks, the standard's own words: 126 days or fewer.
  A patient at 126 days is within 18 weeks; at 127 days they are not.
- **Weekly bands** follow the published labels: band k holds waits of more than k - 1 and up to k weeks, that
  is 7(k - 1) < days ≤ 7k. A wait of 0 days is put in band 1. With these bands, the share within 18 weeks is
  exactly the share in bands 1 to 18.
- **Median and 92nd percentile** are estimated from the band counts by linear interpolation within the band
  that contains the target (the usual grouped-data method, assuming waits are spread evenly over each week):
  if N pathways are waiting, the p-th percentile lies in the first band k whose cumulative count reaches
  p × N, at (k - 1) + (p × N - cumulative count of bands before k) / (count in band k) weeks.

Uncertain, and said so plainly: we did not find, in the guidance available to us, the day at which NHS
England's band boundaries fall nor the exact interpolation formula behind its published medians and
92nd percentiles. The conventions above agree with the published band labels and with the wording of the
standard; if your figures must match NHS England's to the patient, check the current RTT statistics guidance
on the page above. Clock pauses are not modelled (there are none since October 2015); a pathway with several
clock periods must be split into one row per clock period before using these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from college.columns import require_columns

STANDARD_WEEKS = 18
"""The referral to treatment standard: treatment should start within 18 weeks of referral."""
STANDARD_DAYS = 7 * STANDARD_WEEKS
"""126 days: a wait of this many days or fewer is within 18 weeks."""
OPERATIONAL_STANDARD = 0.92
"""The share of incomplete pathways that should be waiting no more than 18 weeks (NHS England); 92 % meets it."""
PLANNING_TARGET_MARCH_2027 = 0.70
"""The medium term planning framework's national figure for 2026/27: 70 % within 18 weeks by March 2027."""
TRUST_MINIMUM_2026_27 = 0.65
"""Each trust in 2026/27: at least 65 %, or a 7 % improvement if that is greater (medium term planning framework)."""
PLANNING_TARGET_MARCH_2026 = 0.65
"""History: the 2025/26 planning guidance's national figure, 65 % within 18 weeks by March 2026."""
LONG_WAIT_WEEKS = 52
"""Waits of more than 52 weeks are reported separately as long waits."""

DateLike = date | datetime | pd.Timestamp | str


@dataclass(frozen=True)
class WaitingListSummary:
    """Incomplete RTT pathways at a census date, summarised as NHS England publishes them."""

    census_date: date
    pathways: int
    """Incomplete pathways (the size of the waiting list)."""
    within_18_weeks: int
    """Pathways waiting 126 days or fewer."""
    share_within_18_weeks: float
    """within_18_weeks / pathways."""
    meets_operational_standard: bool
    """Whether the share is at least 92 %."""
    median_weeks: float
    """Median wait in weeks, estimated from weekly bands (see the module notes)."""
    percentile_92_weeks: float
    """92nd percentile wait in weeks, estimated from weekly bands."""
    over_52_weeks: int
    """Pathways waiting more than 52 weeks (more than 364 days)."""


def days_waited(clock_starts: pd.Series, census_date: DateLike) -> pd.Series:
    """Calendar days from each clock start to the census date (``census_date - clock_start``).

    Raises:
        ValueError: a clock start is missing or not a date, the census date is not a date, or a clock starts
            after the census date (that pathway cannot be waiting at the census).
    """
    starts = _as_dates(clock_starts, "clock start")
    census = _as_date(census_date, "census_date")
    days = (pd.Timestamp(census) - starts).dt.days
    negative = days < 0
    if negative.any():
        first = days.index[negative.to_numpy()][0]
        raise ValueError(
            f"{int(negative.sum())} clock start(s) fall after the census date {census.isoformat()} "
            f"(first at index {first!r}); those pathways cannot be waiting at the census"
        )
    return days.astype("int64")


def completed_weeks(days: pd.Series) -> pd.Series:
    """Completed weeks waited: days divided by 7, rounded down."""
    return _check_days(days) // 7


def weekly_band(days: pd.Series) -> pd.Series:
    """The published weekly band of each wait: band k is more than k - 1 and up to k weeks (0 days: band 1)."""
    checked = _check_days(days)
    return (-(-checked // 7)).clip(lower=1).astype("int64")


def within_weeks(days: pd.Series, weeks: int = STANDARD_WEEKS) -> pd.Series:
    """Whether each wait is no more than ``weeks`` weeks (``days <= 7 * weeks``)."""
    return _check_days(days) <= 7 * weeks


def weekly_band_counts(days: pd.Series) -> pd.Series:
    """Pathways per weekly band, indexed 1, 2, ... up to the longest wait's band (empty bands count 0)."""
    bands = weekly_band(days)
    if bands.empty:
        return pd.Series(dtype="int64", name="pathways")
    counts = bands.value_counts().reindex(range(1, int(bands.max()) + 1), fill_value=0).sort_index()
    return counts.rename("pathways").astype("int64")


def percentile_from_weekly_bands(band_counts: pd.Series | Mapping[int, int], percentile: float) -> float:
    """Estimate a percentile wait in weeks from counts per weekly band, by linear interpolation.

    ``band_counts`` maps band k (more than k - 1 and up to k weeks) to its number of pathways, as
    :func:`weekly_band_counts` returns or as published. The estimate lies in the first band whose cumulative
    count reaches ``percentile × total``, at (k - 1) + (target - count before band k) / (count in band k).

    Raises:
        ValueError: the percentile is not between 0 and 1 (exclusive), a band number is not a whole number
            from 1, a count is negative, or there are no pathways.
    """
    if isinstance(percentile, bool) or not isinstance(percentile, int | float) or not 0 < percentile < 1:
        raise ValueError(f"percentile must be between 0 and 1 (for example 0.5 or 0.92); got {percentile!r}")
    items = sorted(dict(band_counts).items())
    for band, count in items:
        if isinstance(band, bool) or not isinstance(band, int | np.integer) or band < 1:
            raise ValueError(f"weekly bands must be whole numbers from 1; got {band!r}")
        if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 0:
            raise ValueError(
                f"band {band}: the count must be a whole number of pathways, 0 or more; got {count!r}"
            )
    total = sum(int(count) for _, count in items)
    if total == 0:
        raise ValueError("there are no pathways to take a percentile of")
    target = percentile * total
    before = 0
    for band, count in items:
        if count and before + count >= target:
            return (int(band) - 1) + (target - before) / int(count)
        before += int(count)
    raise AssertionError("unreachable: the cumulative count reaches the total")  # pragma: no cover


def incomplete_pathways_summary(
    pathways: pd.DataFrame,
    *,
    clock_start_column: str,
    census_date: DateLike,
    status_column: str | None = None,
    incomplete_status: str = "incomplete",
) -> WaitingListSummary:
    """Summarise the waiting list (incomplete pathways) at a census date.

    Args:
        pathways: one row per pathway (clock period).
        clock_start_column: the column holding each clock's start date.
        census_date: the date the waiting list is counted at (the end of the reporting month).
        status_column: if given, only rows whose status equals ``incomplete_status`` are counted; otherwise
            every row is taken to be an incomplete pathway.
        incomplete_status: the status value that marks a pathway still waiting.

    Raises:
        ValueError: a named column is missing, there are no incomplete pathways, or a date is invalid.
    """
    require_columns(pathways, [clock_start_column, *([status_column] if status_column else [])])
    waiting = pathways
    if status_column is not None:
        waiting = pathways[pathways[status_column] == incomplete_status]
    if waiting.empty:
        raise ValueError("there are no incomplete pathways to summarise")
    census = _as_date(census_date, "census_date")
    days = days_waited(waiting[clock_start_column], census)
    counts = weekly_band_counts(days)
    within = int(within_weeks(days).sum())
    total = len(days)
    share = within / total
    return WaitingListSummary(
        census_date=census,
        pathways=total,
        within_18_weeks=within,
        share_within_18_weeks=share,
        meets_operational_standard=share >= OPERATIONAL_STANDARD,
        median_weeks=percentile_from_weekly_bands(counts, 0.5),
        percentile_92_weeks=percentile_from_weekly_bands(counts, 0.92),
        over_52_weeks=int((days > 7 * LONG_WAIT_WEEKS).sum()),
    )


def _as_date(value: DateLike, name: str) -> date:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date such as 2023-12-31; got {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as 2023-12-31; got {value!r}")
    return stamp.date()


def _as_dates(values: pd.Series, name: str) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise ValueError(f"{name} dates must be a pandas Series")
    converted = pd.to_datetime(values, errors="coerce")
    bad = converted.isna()
    if bad.any():
        first = values.index[bad.to_numpy()][0]
        raise ValueError(
            f"{int(bad.sum())} {name} date(s) are missing or not dates "
            f"(first at index {first!r}: {values.loc[first]!r})"
        )
    return converted.dt.normalize()


def _check_days(days: pd.Series) -> pd.Series:
    if not isinstance(days, pd.Series):
        raise ValueError("days must be a pandas Series of whole numbers of days")
    numbers = pd.to_numeric(days, errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers != np.floor(numbers))
    if bad.any():
        first = days.index[bad.to_numpy()][0]
        raise ValueError(
            f"days waited must be whole numbers, 0 or more; {int(bad.sum())} are not "
            f"(first at index {first!r}: {days.loc[first]!r})"
        )
    return numbers.astype("int64")
