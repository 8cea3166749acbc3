"""Each injected special cause event is found by the Making Data Count rules, and nothing else is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from college.data.monthly import INDICATORS
from college.methods.spc import xmr_chart


def _series(tables: dict[str, pd.DataFrame]) -> list[tuple[str, str, pd.DataFrame]]:
    monthly = tables["monthly_indicators"]
    return [
        (
            str(provider),
            indicator,
            group[["month", indicator]].rename(columns={indicator: "value"}).reset_index(drop=True),
        )
        for provider, group in monthly.groupby("provider_code")
        for indicator in INDICATORS
    ]


def test_every_kind_of_event_is_injected(small_tables: dict[str, pd.DataFrame]) -> None:
    events = small_tables["monthly_indicators_events"]
    assert set(events["event_type"]) == {"shift", "trend", "outlier"}
    assert not events.duplicated(["provider_code", "indicator"]).any()
    assert (events["first_month"] >= pd.Timestamp("2022-01-01")).all()
    assert (events["baseline_months"] == 24).all()


@pytest.mark.parametrize("screen_outliers", [True, False])
def test_special_causes_appear_in_events_and_nowhere_else(
    small_tables: dict[str, pd.DataFrame], screen_outliers: bool
) -> None:
    events = small_tables["monthly_indicators_events"]
    found_events = 0
    for provider, indicator, series in _series(small_tables):
        chart = xmr_chart(series["value"].to_numpy(dtype=float, copy=True), baseline_points=24,
                          screen_outliers=screen_outliers)  # fmt: skip
        flagged = chart["special_cause"].to_numpy(dtype=bool)
        inside = np.zeros(len(series), dtype=bool)
        for event in events[
            (events["provider_code"] == provider) & (events["indicator"] == indicator)
        ].itertuples():
            window = (
                (series["month"] >= event.first_month) & (series["month"] <= event.last_month)
            ).to_numpy()
            assert flagged[window].any(), f"{event.event_type} in {provider} {indicator} not found"
            inside |= window
            found_events += 1
        assert not flagged[~inside].any(), f"unexpected special cause in {provider} {indicator}"
    assert found_events == len(events)


def test_outliers_sit_beyond_the_limits(small_tables: dict[str, pd.DataFrame]) -> None:
    events = small_tables["monthly_indicators_events"]
    series = {(provider, indicator): frame for provider, indicator, frame in _series(small_tables)}
    for event in events[events["event_type"] == "outlier"].itertuples():
        frame = series[(str(event.provider_code), str(event.indicator))]
        chart = xmr_chart(frame["value"].to_numpy(dtype=float, copy=True), baseline_points=24)
        month = (frame["month"] == event.first_month).to_numpy()
        assert chart["outside_limits"].to_numpy(dtype=bool)[month].all()
