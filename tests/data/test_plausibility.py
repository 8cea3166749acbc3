"""Headline figures of the small scale sit in their documented, realistic ranges."""

from __future__ import annotations

import pandas as pd
import pytest

from college.data.plausibility import RANGES, PlausibilityRange, measure


@pytest.mark.parametrize("check", RANGES, ids=[check.name for check in RANGES])
def test_headline_figure_is_in_range(small_tables: dict[str, pd.DataFrame], check: PlausibilityRange) -> None:
    value = check.measure(small_tables)
    assert check.minimum <= value <= check.maximum, f"{check.description}: {value:.2f} {check.unit}"


def test_ranges_cover_the_figures_the_brief_names() -> None:
    names = {check.name for check in RANGES}
    assert {"type_1_four_hour_pct", "all_types_four_hour_pct", "rtt_median_weeks", "mean_length_of_stay",
            "emergency_minus_elective_stay", "crude_death_rate"} <= names  # fmt: skip


def test_a_figure_out_of_range_is_reported(small_tables: dict[str, pd.DataFrame]) -> None:
    """The check can fail: with every attendance taking five hours, the four-hour figures collapse."""
    slow = small_tables["ae_attendances"].copy()
    slow["departure_datetime"] = slow["arrival_datetime"] + pd.Timedelta(hours=5)
    results = {result.check.name: result for result in measure({**small_tables, "ae_attendances": slow})}
    assert not results["type_1_four_hour_pct"].passed
    assert results["type_1_four_hour_pct"].value == 0
    assert "OUT OF RANGE" in str(results["all_types_four_hour_pct"])


def test_deprivation_gap_survives_age_standardisation(small_tables: dict[str, pd.DataFrame]) -> None:
    """Directly standardised death rates (ESP 2013) are higher in the most deprived fifth than in the least."""
    deaths = small_tables["deaths"].assign(quintile=lambda frame: (frame["deprivation_decile"] + 1) // 2)
    bands = deaths.groupby(["quintile", "age_band"], as_index=False)[["deaths", "population"]].sum()
    bands = bands.merge(small_tables["european_standard_population"], on="age_band")
    bands["weighted"] = bands["deaths"] / bands["population"] * bands["standard_population"]
    rates = bands.groupby("quintile")["weighted"].sum() / 100_000 * 1000
    assert rates[1] > rates[5] * 1.2


def test_every_department_type_of_the_data_dictionary_is_present(
    small_tables: dict[str, pd.DataFrame],
) -> None:
    """EMERGENCY CARE DEPARTMENT TYPE has national codes 01 to 04: the synthetic data hold all four, and type 4
    (NHS walk-in centres) only at the community trust, as a minority of its attendances."""
    attendances = small_tables["ae_attendances"]
    types = set(attendances["department_type"])
    assert {1, 2, 3, 4} <= types
    walk_in = attendances[attendances["department_type"] == 4]
    assert set(walk_in["provider_code"]) == {"SYN04"}
    community = attendances[attendances["provider_code"] == "SYN04"]
    assert 0.1 < len(walk_in) / len(community) < 0.5
