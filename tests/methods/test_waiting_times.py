"""RTT waiting-time measures: hand-worked examples of the counting conventions and their consistency.

No published patient-level worked example exists for these measures (NHS England publishes aggregates), so
the expected figures below are worked by hand from the conventions stated in the module, with the arithmetic
in the comments.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from college.methods.waiting_times import (
    OPERATIONAL_STANDARD,
    PLANNING_TARGET_MARCH_2026,
    PLANNING_TARGET_MARCH_2027,
    STANDARD_DAYS,
    TRUST_MINIMUM_2026_27,
    completed_weeks,
    days_waited,
    incomplete_pathways_summary,
    percentile_from_weekly_bands,
    weekly_band,
    weekly_band_counts,
    within_weeks,
)


def test_planning_targets() -> None:
    # Medium term planning framework (October 2025): 70 % nationally by March 2027, each trust at least 65 %;
    # history: 2025/26 planning guidance, 65 % by March 2026.
    assert (PLANNING_TARGET_MARCH_2027, TRUST_MINIMUM_2026_27, PLANNING_TARGET_MARCH_2026) == (
        0.70,
        0.65,
        0.65,
    )


@pytest.mark.parametrize(("within", "meets"), [(23, True), (22, False)])
def test_exactly_92_percent_meets_the_standard(within: int, meets: bool) -> None:
    # 23 of 25 is exactly 92 %: the standard is 92 % waiting no more than 18 weeks, so it is met.
    days = [126] * within + [127] * (25 - within)
    frame = pd.DataFrame(
        {
            "clock_start_date": [pd.Timestamp("2023-12-31") - pd.Timedelta(days=d) for d in days],
            "pathway_status": "incomplete",
        }
    )
    summary = incomplete_pathways_summary(
        frame, clock_start_column="clock_start_date", census_date="2023-12-31", status_column="pathway_status"
    )
    assert summary.meets_operational_standard is meets


def test_constants() -> None:
    # NHS England: 92 % of incomplete pathways waiting no more than 18 weeks (126 days); 92 % exactly meets it.
    assert OPERATIONAL_STANDARD == 0.92
    assert STANDARD_DAYS == 126


class TestCounting:
    def test_days_from_clock_start_to_census(self) -> None:
        starts = pd.Series(
            pd.to_datetime(["2023-12-31", "2023-12-30", "2023-08-27", "2023-08-26", "2022-12-31"])
        )
        assert days_waited(starts, "2023-12-31").tolist() == [0, 1, 126, 127, 365]

    def test_time_of_day_is_ignored(self) -> None:
        starts = pd.Series(pd.to_datetime(["2023-12-30 23:59"]))
        assert days_waited(starts, "2023-12-31").tolist() == [1]

    def test_boundary_of_18_weeks(self) -> None:
        days = pd.Series([0, 125, 126, 127])
        assert within_weeks(days).tolist() == [True, True, True, False]
        assert completed_weeks(days).tolist() == [0, 17, 18, 18]
        # bands: 0 → 1 (by convention); 125 → 18 (119 < 125 ≤ 126); 126 → 18; 127 → 19
        assert weekly_band(days).tolist() == [1, 18, 18, 19]

    def test_band_counts_fill_empty_bands(self) -> None:
        counts = weekly_band_counts(pd.Series([1, 3, 20, 21]))
        assert counts.to_dict() == {1: 2, 2: 0, 3: 2}

    def test_clock_start_after_census(self) -> None:
        with pytest.raises(ValueError, match=r"1 clock start\(s\) fall after the census date 2023-12-31"):
            days_waited(pd.Series(pd.to_datetime(["2024-01-02", "2023-01-01"])), "2023-12-31")

    def test_missing_clock_start(self) -> None:
        with pytest.raises(ValueError, match="missing or not dates"):
            days_waited(pd.Series(["2023-01-01", None, "not a date"]), "2023-12-31")

    def test_bad_census(self) -> None:
        with pytest.raises(ValueError, match="census_date must be a date"):
            days_waited(pd.Series(pd.to_datetime(["2023-01-01"])), "the end of December")

    @pytest.mark.parametrize("days", [[-1], [1.5], ["x"], [None]])
    def test_bad_days(self, days: list[object]) -> None:
        with pytest.raises(ValueError, match="whole numbers, 0 or more"):
            weekly_band(pd.Series(days))


class TestPercentiles:
    def test_hand_worked(self) -> None:
        # Bands 1-4 hold 10, 20, 30, 40 pathways (cumulative 10, 30, 60, 100).
        # Median: target 50 lies in band 3: 2 + (50 - 30) / 30 = 2.6667 weeks.
        # 92nd percentile: target 92 lies in band 4: 3 + (92 - 60) / 40 = 3.8 weeks.
        bands = {1: 10, 2: 20, 3: 30, 4: 40}
        assert percentile_from_weekly_bands(bands, 0.5) == pytest.approx(2 + 20 / 30, rel=1e-12)
        assert percentile_from_weekly_bands(bands, 0.92) == pytest.approx(3.8, rel=1e-12)

    def test_target_at_a_band_edge_stays_in_that_band(self) -> None:
        # The cumulative count after band 2 equals the target, 30 (30 % of 100): the estimate is 2 weeks.
        assert percentile_from_weekly_bands({1: 10, 2: 20, 3: 70}, 0.3) == pytest.approx(2.0)

    def test_empty_bands_are_skipped(self) -> None:
        assert percentile_from_weekly_bands({1: 0, 2: 0, 3: 4}, 0.5) == pytest.approx(2.5)

    def test_accepts_a_series(self) -> None:
        counts = weekly_band_counts(pd.Series([1, 8, 15, 22]))  # one pathway in each of bands 1-4
        assert percentile_from_weekly_bands(counts, 0.5) == pytest.approx(2.0)

    @pytest.mark.parametrize(
        ("bands", "percentile", "message"),
        [
            ({1: 1}, 0, "percentile must be between 0 and 1"),
            ({1: 1}, 1.0, "percentile must be between 0 and 1"),
            ({0: 1}, 0.5, "whole numbers from 1"),
            ({1: -1}, 0.5, "0 or more"),
            ({1: 0}, 0.5, "no pathways"),
        ],
    )
    def test_bad_input(self, bands: dict[int, int], percentile: float, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            percentile_from_weekly_bands(bands, percentile)


class TestSummary:
    def make(self) -> pd.DataFrame:
        # Ten incomplete pathways waiting 0, 10, 50, 90, 120, 126, 127, 200, 365 and 400 days at the census,
        # plus one completed pathway that must be ignored.
        census = pd.Timestamp("2023-12-31")
        waits = [0, 10, 50, 90, 120, 126, 127, 200, 365, 400]
        frame = pd.DataFrame(
            {
                "clock_start_date": [census - pd.Timedelta(days=d) for d in waits] + [census],
                "pathway_status": ["incomplete"] * 10 + ["completed_admitted"],
            }
        )
        return frame

    def test_hand_worked(self) -> None:
        summary = incomplete_pathways_summary(
            self.make(),
            clock_start_column="clock_start_date",
            census_date="2023-12-31",
            status_column="pathway_status",
        )
        assert summary.pathways == 10
        assert summary.within_18_weeks == 6  # 0, 10, 50, 90, 120, 126 days
        assert summary.share_within_18_weeks == pytest.approx(0.6)
        assert not summary.meets_operational_standard
        assert summary.over_52_weeks == 2  # 365 and 400 days are more than 364
        # Bands: 0→1, 10→2, 50→8, 90→13, 120→18, 126→18, 127→19, 200→29, 365→53, 400→58.
        # Median target 5: cumulative reaches 4 after band 13 and 6 in band 18 (2 pathways): 17 + 1/2 = 17.5.
        assert summary.median_weeks == pytest.approx(17.5)
        # 92nd percentile target 9.2: the cumulative count is 9 after band 53 and 10 after band 58, so the
        # target lies in band 58 (one pathway): 57 + (9.2 - 9) / 1 = 57.2.
        assert summary.percentile_92_weeks == pytest.approx(57.2)

    def test_all_rows_when_no_status_column(self) -> None:
        summary = incomplete_pathways_summary(
            self.make().iloc[:10], clock_start_column="clock_start_date", census_date="2023-12-31"
        )
        assert summary.pathways == 10

    def test_missing_column(self) -> None:
        with pytest.raises(ValueError, match="missing column"):
            incomplete_pathways_summary(
                self.make(), clock_start_column="referral_date", census_date="2023-12-31"
            )

    def test_no_incomplete_pathways(self) -> None:
        with pytest.raises(ValueError, match="no incomplete pathways"):
            incomplete_pathways_summary(
                self.make().iloc[10:],
                clock_start_column="clock_start_date",
                census_date="2023-12-31",
                status_column="pathway_status",
            )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=800), min_size=1, max_size=300))
def test_bands_agree_with_the_standard_and_percentiles_are_ordered(days_list: list[int]) -> None:
    days = pd.Series(days_list)
    counts = weekly_band_counts(days)
    assert int(counts.sum()) == len(days)
    # the share within 18 weeks is exactly the share in bands 1 to 18
    assert int(counts.loc[counts.index <= 18].sum()) == int(within_weeks(days).sum())
    median = percentile_from_weekly_bands(counts, 0.5)
    p92 = percentile_from_weekly_bands(counts, 0.92)
    assert 0 <= median <= p92 <= counts.index.max()
    # the estimate lies in the band that holds the exact median, or at its edge
    exact_band = int(weekly_band(pd.Series([sorted(days_list)[(len(days_list) - 1) // 2]])).iloc[0])
    assert exact_band - 1 - 1e-9 <= median <= exact_band + 1 + 1e-9
