"""XmR charts cross-checked against NHSRplotthedots' own outputs on NHS England's A&E statistics.

The fixture and where it comes from are described in ``files/PROVENANCE.md``: 252 points in 7 charts, with the
mean, process limits, rule inputs and point type that NHSRplotthedots computed for each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from college.methods import xmr_chart

FIXTURE = Path(__file__).parent / "files" / "nhsrplotthedots_integration_snapshots.csv"


def charts() -> list[tuple[str, pd.DataFrame]]:
    frame = pd.read_csv(FIXTURE, keep_default_na=False, dtype={"baseline_points": str, "facet": str})
    return [
        (f"{case}/{facet}", group.reset_index(drop=True))
        for (case, facet), group in frame.groupby(["case", "facet"], sort=False)
    ]


CHARTS = charts()


def ours(theirs: pd.DataFrame) -> pd.DataFrame:
    baseline = theirs["baseline_points"].iloc[0]
    return xmr_chart(theirs["y"].to_numpy(dtype=float), "increase", int(baseline) if baseline else None)


def test_the_fixture_holds_every_kind_of_point() -> None:
    points = pd.concat(group for _, group in CHARTS)
    assert len(CHARTS) == 7 and len(points) == 252
    assert set(points["point_type"]) == {"common_cause", "special_cause_improvement", "special_cause_concern"}


@pytest.mark.parametrize(("name", "theirs"), CHARTS, ids=[name for name, _ in CHARTS])
def test_mean_and_limits_match(name: str, theirs: pd.DataFrame) -> None:
    chart = ours(theirs)
    np.testing.assert_allclose(chart["mean"], theirs["mean"], rtol=1e-12)
    np.testing.assert_allclose(chart["lower_limit"], theirs["lpl"], rtol=1e-12)
    np.testing.assert_allclose(chart["upper_limit"], theirs["upl"], rtol=1e-12)
    assert chart["outside_limits"].tolist() == theirs["outside_limits"].tolist()
    side = np.sign(chart["value"] - chart["mean"]).astype(int)
    assert side.tolist() == theirs["relative_to_mean"].tolist()


def two_of_three_2021(close: np.ndarray) -> np.ndarray:
    """The 2021 rule: a close point in some window of three holding two close points, sides not considered."""
    hit = np.zeros(len(close), dtype=bool)
    for start in range(len(close) - 2):
        if close[start : start + 3].sum() >= 2:
            hit[start : start + 3] = True
    return hit & close


@pytest.mark.parametrize(("name", "theirs"), CHARTS, ids=[name for name, _ in CHARTS])
def test_point_types_match_but_for_the_documented_rule_change(name: str, theirs: pd.DataFrame) -> None:
    chart = ours(theirs)
    other_rules = chart["outside_limits"] | chart["trend"] | chart["shift"] | chart["two_of_three"]
    changed = two_of_three_2021(theirs["close_to_limits"].to_numpy()) & ~other_rules.to_numpy()
    differs = chart["variation"].to_numpy() != theirs["point_type"].to_numpy()
    assert differs.tolist() == changed.tolist()
    assert (chart["variation"][changed] == "common_cause").all()
    assert (theirs["special_cause_flag"][changed] == 1).all()


def test_the_rule_change_shows_in_the_fixture() -> None:
    """At least one chart has such a point, so the exception above is not empty by accident."""
    changed = 0
    for _, theirs in CHARTS:
        chart = ours(theirs)
        other = (chart["outside_limits"] | chart["trend"] | chart["shift"] | chart["two_of_three"]).to_numpy()
        changed += int((two_of_three_2021(theirs["close_to_limits"].to_numpy()) & ~other).sum())
    assert 1 <= changed <= 10
