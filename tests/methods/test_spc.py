"""XmR charts against NHSRplotthedots' own published expectations and small hand-worked examples.

NHSRplotthedots (NHS-R Community, MIT licence), https://github.com/nhs-r-community/NHSRplotthedots , at its
0.2.2 release (commit 050b07d): expected figures are quoted from its test snapshot file
``tests/testthat/_snaps/ptd_spc_standard.md``, its unit tests
``tests/testthat/test-ptd_calculate_point_type.R`` and ``tests/testthat/test-ptd_spc_standard.R``, and its
vignette ``vignettes/deviations.Rmd``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from college.methods.spc import (
    COLUMNS,
    _part_of_shift,
    _part_of_trend,
    _part_of_two_of_three,
    plot_xmr,
    summary,
    xmr_chart,
)

# R: set.seed(123); rnorm(20). The snapshot prints the first values to 8 decimals (-0.56047565, -0.23017749,
# 1.55870831, 0.07050839, ...) and their mean as 0.1416238, which the assertion below re-checks.
RNORM_SEED_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def first_row(chart: pd.DataFrame) -> tuple[float, float, float]:
    row = chart.iloc[0]
    return float(row["mean"]), float(row["lower_limit"]), float(row["upper_limit"])


class TestNHSRplotthedotsSnapshots:
    """_snaps/ptd_spc_standard.md, "it returns expected values": mean_col, lpl, upl printed to 7 figures."""

    def test_r1_default_screening(self) -> None:
        mean, lower, upper = first_row(xmr_chart(RNORM_SEED_123))
        assert mean == pytest.approx(0.1416238, abs=5e-8)
        assert lower == pytest.approx(-3.01138, abs=5e-6)
        assert upper == pytest.approx(3.294627, abs=5e-7)

    def test_r1_no_point_outside_or_close(self) -> None:
        # The snapshot shows outside_limits and close_to_limits FALSE; summary() gives 20 common cause points.
        chart = xmr_chart(RNORM_SEED_123, "increase")
        assert not chart["outside_limits"].any()
        assert (chart["variation"] == "common_cause").all()

    def test_r1_relative_to_mean(self) -> None:
        # Snapshot: relative_to_mean -1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1, ...
        chart = xmr_chart(RNORM_SEED_123)
        side = np.sign(chart["value"] - chart["mean"]).astype(int).tolist()
        assert side[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]

    def test_r2_outlier_screened(self) -> None:
        values = list(RNORM_SEED_123)
        values[14] = 10  # R: data$y[15] <- 10
        mean, lower, upper = first_row(xmr_chart(values))
        assert mean == pytest.approx(0.6694159, abs=5e-8)
        assert lower == pytest.approx(-2.383666, abs=5e-7)
        assert upper == pytest.approx(3.722497, abs=5e-7)

    def test_r3_outlier_not_screened(self) -> None:
        values = list(RNORM_SEED_123)
        values[14] = 10
        mean, lower, upper = first_row(xmr_chart(values, screen_outliers=False))
        assert mean == pytest.approx(0.6694159, abs=5e-8)
        assert lower == pytest.approx(-4.596625, abs=5e-7)
        assert upper == pytest.approx(5.935457, abs=5e-7)

    def test_fixing_limits_changes_them(self) -> None:
        # test-ptd_spc_standard.R, "setting fix_after_n_points changes the calculations" (12 points).
        fixed = first_row(xmr_chart(RNORM_SEED_123, baseline_points=12))
        assert fixed != first_row(xmr_chart(RNORM_SEED_123))


class TestDeviationsVignette:
    """vignettes/deviations.Rmd, "Treatment of outlying points": the captions print limits to 2 decimals."""

    DATA = (1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1)

    def test_default_screens_the_outlying_moving_ranges(self) -> None:
        chart = xmr_chart(self.DATA, "increase")
        mean, lower, upper = first_row(chart)
        assert (round(upper, 2), round(mean, 2), round(lower, 2)) == (4.6, 1.94, -0.72)
        # "four grey common cause points followed by a single blue special cause improvement point followed
        # by a further 12 grey common cause points"
        expected = ["common_cause"] * 4 + ["special_cause_improvement"] + ["common_cause"] * 13
        assert chart["variation"].tolist() == expected

    def test_excel_replication_without_screening(self) -> None:
        chart = xmr_chart(self.DATA, "increase", screen_outliers=False)
        mean, lower, upper = first_row(chart)
        assert (round(upper, 2), round(mean, 2), round(lower, 2)) == (6.95, 1.94, -3.06)
        assert chart["special_cause"].tolist() == [i == 4 for i in range(18)]

    def test_by_hand(self) -> None:
        # Independent re-computation: 17 moving ranges, 8 and 9 either side of the 10, the other 15 all 1.
        mean = 35 / 18
        first_mean_mr = (15 + 8 + 9) / 17
        assert min(8, 9) >= 3.267 * first_mean_mr  # both screened out
        chart = xmr_chart(self.DATA)
        assert chart["mean_moving_range"].iloc[0] == pytest.approx(1.0, abs=1e-12)
        assert chart["upper_limit"].iloc[0] == pytest.approx(mean + 2.66, abs=1e-12)
        unscreened = xmr_chart(self.DATA, screen_outliers=False)
        assert unscreened["upper_limit"].iloc[0] == pytest.approx(mean + 2.66 * first_mean_mr, abs=1e-12)


class TestRuleHelpersAgainstNHSRplotthedotsUnitTests:
    """test-ptd_calculate_point_type.R: the expectations of ptd_part_of_seven_trend(ptd_seven_point_trend(.)),
    ptd_seven_point_one_side_mean and ptd_two_in_three / ptd_part_of_two_in_three, restated as flags."""

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            (list(range(1, 7)), [0] * 6),  # six rising points are not enough
            ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # a tie breaks the trend
            (list(range(1, 8)), [1] * 7),
            ([2, *range(1, 8), 3], [0] + [1] * 7 + [0]),
            (list(range(7, 0, -1)), [1] * 7),
            ([2, *range(7, 0, -1), 3], [0] + [1] * 7 + [0]),
        ],
    )
    def test_trend(self, values: list[float], expected: list[int]) -> None:
        assert _part_of_trend(np.array(values, dtype=float)).astype(int).tolist() == expected

    @pytest.mark.parametrize(
        ("side", "expected"),
        [
            ([1] * 6, [0] * 6),
            ([1] * 6 + [-1], [0] * 7),
            ([1] * 8 + [-1], [1] * 8 + [0]),
            ([-1] * 8 + [1], [1] * 8 + [0]),
            ([1, 1, 1, 0, 1, 1, 1, 1], [0] * 8),  # a point on the mean breaks the run
        ],
    )
    def test_shift(self, side: list[int], expected: list[int]) -> None:
        assert _part_of_shift(np.array(side, dtype=np.int64)).astype(int).tolist() == expected

    @pytest.mark.parametrize(
        ("close", "side", "expected"),
        [
            ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
            ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
            ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
            ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
            ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
            ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
            ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
            # opposite sides of the mean never count (NHSRplotthedots issue #143)
            ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
            ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
            ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
            ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
            ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
        ],
    )
    def test_two_of_three(self, close: list[int], side: list[int], expected: list[int]) -> None:
        flags = _part_of_two_of_three(np.array(close, dtype=bool), np.array(side, dtype=np.int64))
        assert flags.astype(int).tolist() == expected

    def test_two_close_points_on_opposite_sides_are_common_cause(self) -> None:
        # test-ptd_spc_standard.R, last test: symmetrical data with 5.5 and -5.5 as the last two points.
        values = [1.0, -1.0] * 8
        values[14], values[15] = 5.5, -5.5
        chart = xmr_chart(values, "increase")
        assert chart["variation"].tail(2).tolist() == ["common_cause", "common_cause"]


class TestHandWorkedExamples:
    """Small charts worked by hand from the rules (figures computed on paper, shown in comments)."""

    # Baseline 12, 10, 12, 10, 12, 10: mean 11, moving ranges all 2, so the mean moving range is 2,
    # limits 11 ± 5.32 = 5.68 and 16.32, and "close" beyond 11 ± 3.5467 (14.5467 and 7.4533).
    BASELINE = [12.0, 10.0] * 3

    def chart(self, *later: float, improvement: str = "increase") -> pd.DataFrame:
        return xmr_chart([*self.BASELINE, *later], improvement, baseline_points=6)  # type: ignore[arg-type]

    def test_fixed_limits(self) -> None:
        chart = self.chart(11.0, 30.0)
        assert chart["mean"].unique().tolist() == [11.0]
        assert chart["mean_moving_range"].iloc[0] == pytest.approx(2.0)
        assert chart["upper_limit"].iloc[0] == pytest.approx(16.32)
        assert chart["lower_limit"].iloc[0] == pytest.approx(5.68)
        # moving ranges are shown for every point, the later ones included
        assert math.isnan(chart["moving_range"].iloc[0])
        assert chart["moving_range"].tolist()[1:] == [2.0] * 5 + [1.0, 19.0]
        assert chart["outside_limits"].tolist() == [False] * 7 + [True]

    def test_point_on_the_limit_is_not_outside(self) -> None:
        upper = float(self.chart(11.0)["upper_limit"].iloc[0])
        lower = float(self.chart(11.0)["lower_limit"].iloc[0])
        chart = self.chart(upper, lower)
        assert chart["upper_limit"].iloc[0] == upper  # the fixed limits do not move
        assert not chart["outside_limits"].any()

    def test_two_of_three_flags_only_the_close_points(self) -> None:
        chart = self.chart(15.0, 11.5, 15.0)
        assert chart["two_of_three"].tolist() == [False] * 6 + [True, False, True]
        assert chart["variation"].tolist()[6:] == [
            "special_cause_improvement",
            "common_cause",
            "special_cause_improvement",
        ]

    def test_two_of_three_needs_all_three_on_one_side(self) -> None:
        assert not self.chart(15.0, 10.0, 15.0)["two_of_three"].any()

    def test_two_of_three_below_the_mean_is_a_concern_when_higher_is_better(self) -> None:
        chart = self.chart(7.0, 7.2)
        assert chart["two_of_three"].tolist()[-2:] == [True, True]
        assert chart["variation"].tolist()[-2:] == ["special_cause_concern"] * 2

    def test_point_beyond_a_limit_does_not_count_towards_two_of_three(self) -> None:
        # NHSRplotthedots: "close" excludes points beyond a limit, so 17 (outside) and 15 (close) are not two.
        chart = self.chart(17.0, 15.0, 12.0)
        assert chart["outside_limits"].tolist()[-3:] == [True, False, False]
        assert not chart["two_of_three"].any()

    def test_shift_of_seven(self) -> None:
        chart = self.chart(*[11.5] * 7)
        assert chart["shift"].tolist() == [False] * 6 + [True] * 7
        assert not chart["trend"].any()  # equal values are ties, not a trend

    def test_point_on_the_mean_breaks_a_shift(self) -> None:
        chart = self.chart(11.5, 11.5, 11.5, 11.0, 11.5, 11.5, 11.5, 11.5)
        assert not chart["shift"].any()

    def test_six_points_are_not_a_shift(self) -> None:
        assert not self.chart(*[11.5] * 6)["shift"].any()

    def test_falling_trend_is_improvement_when_lower_is_better(self) -> None:
        chart = xmr_chart([5, 9, 8, 7, 6, 5, 4, 3, 6], "decrease")
        assert chart["trend"].tolist() == [False] + [True] * 7 + [False]
        assert chart["variation"].tolist()[1:8] == ["special_cause_improvement"] * 7

    def test_trend_direction_at_its_first_point_looks_forward(self) -> None:
        # The first point of a rising trend comes after a fall; it is still labelled with the trend.
        # (Mean 4.125, mean moving range 10/7, limits 0.325 and 7.925: no point is outside.)
        chart = xmr_chart([5, 1, 2, 3, 4, 5, 6, 7], "increase")
        assert not chart["outside_limits"].any()
        assert chart["trend"].tolist() == [False] + [True] * 7
        assert chart["variation"].tolist()[1:] == ["special_cause_improvement"] * 7

    def test_neutral_direction(self) -> None:
        chart = self.chart(30.0, improvement="neutral")
        assert chart["variation"].iloc[-1] == "special_cause_neither"

    def test_outside_beats_other_rules(self) -> None:
        # 1..7 rising is a trend (improvement when higher is better); with decrease, the last point, beyond
        # the upper limit, is a concern because it is above, and the trend is a concern too.
        chart = xmr_chart([0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 40], "decrease", baseline_points=6)
        assert chart["outside_limits"].iloc[-1]
        assert chart["variation"].iloc[-1] == "special_cause_concern"

    def test_flat_baseline(self) -> None:
        chart = xmr_chart([3.0, 3.0, 3.0, 4.0], baseline_points=3)
        assert chart["mean_moving_range"].iloc[0] == 0.0
        assert chart["upper_limit"].iloc[0] == chart["lower_limit"].iloc[0] == 3.0
        assert chart["outside_limits"].tolist() == [False, False, False, True]

    def test_series_index_is_kept(self) -> None:
        months = pd.period_range("2024-04", periods=4, freq="M")
        chart = xmr_chart(pd.Series([1.0, 2.0, 3.0, 2.0], index=months))
        assert chart.index.equals(months)
        assert tuple(chart.columns) == COLUMNS


class TestSummary:
    def test_common_cause(self) -> None:
        result = summary(xmr_chart([1, 2, 1, 2, 1, 2]))
        assert (result.variation, result.icon) == ("common_cause", "common_cause")

    @pytest.mark.parametrize(
        ("improvement", "last", "icon"),
        [
            ("increase", 30.0, "improvement_high"),
            ("increase", -10.0, "concern_low"),
            ("decrease", 30.0, "concern_high"),
            ("decrease", -10.0, "improvement_low"),
            ("neutral", 30.0, "neutral_high"),
            ("neutral", -10.0, "neutral_low"),
        ],
    )
    def test_icons_for_a_point_beyond_a_limit(self, improvement: str, last: float, icon: str) -> None:
        chart = xmr_chart([10.0, 12.0] * 3 + [last], improvement, baseline_points=6)  # type: ignore[arg-type]
        result = summary(chart)
        assert result.icon == icon
        assert result.meaning

    def test_icon_for_a_falling_trend(self) -> None:
        assert summary(xmr_chart([10, 9, 8, 7, 6, 5, 4], "increase")).icon == "concern_low"

    def test_refuses_other_frames(self) -> None:
        with pytest.raises(ValueError, match="missing columns"):
            summary(pd.DataFrame({"value": [1.0, 2.0]}))


class TestValidation:
    @pytest.mark.parametrize(
        ("values", "message"),
        [
            ([], "at least 2 points"),
            ([1.0], "at least 2 points"),
            ([1.0, float("nan"), 2.0], r"NaN.*position\(s\) 1"),
            ([1.0, None, 2.0], "NaN"),
            ([1.0, float("inf")], "infinite"),
            (["a", "b"], "must all be numbers"),
            ("12345", "not a string"),
            ([True, False, True], "not booleans"),
            ([[1.0, 2.0], [3.0, 4.0]], "one-dimensional"),
        ],
    )
    def test_bad_values(self, values: object, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            xmr_chart(values)  # type: ignore[arg-type]

    def test_pandas_missing_value(self) -> None:
        with pytest.raises(ValueError, match="NaN"):
            xmr_chart(pd.Series([1.0, pd.NA, 3.0], dtype="Float64"))

    def test_bad_improvement(self) -> None:
        with pytest.raises(ValueError, match="improvement must be one of"):
            xmr_chart([1, 2, 3], "up")  # type: ignore[arg-type]

    @pytest.mark.parametrize("baseline", [0, 1, 4, 2.5, True])
    def test_bad_baseline(self, baseline: object) -> None:
        with pytest.raises(ValueError, match="baseline_points"):
            xmr_chart([1, 2, 3], baseline_points=baseline)  # type: ignore[arg-type]


finite_values = st.lists(
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False).map(
        lambda v: round(v, 2)
    ),
    min_size=2,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(finite_values)
def test_properties(values: list[float]) -> None:
    chart = xmr_chart(values, "increase")
    assert len(chart) == len(values)
    rules = chart[["outside_limits", "trend", "two_of_three", "shift"]].any(axis=1)
    assert chart["special_cause"].equals(rules)
    assert ((chart["variation"] == "common_cause") == ~chart["special_cause"]).all()
    half_widths = (chart["upper_limit"] - chart["mean"], chart["mean"] - chart["lower_limit"])
    assert half_widths[0].iloc[0] == pytest.approx(half_widths[1].iloc[0])
    assert (chart["lower_limit"] <= chart["mean"]).all() and (chart["mean"] <= chart["upper_limit"]).all()


@settings(max_examples=150, deadline=None)
@given(finite_values)
def test_mirroring_the_data_mirrors_the_verdicts(values: list[float]) -> None:
    # Negating every value turns "higher is better" into "lower is better" without changing any rule's flags.
    chart = xmr_chart(values, "increase")
    mirrored = xmr_chart([-v for v in values], "decrease")
    for column in ("outside_limits", "trend", "two_of_three", "shift", "special_cause", "variation"):
        assert chart[column].tolist() == mirrored[column].tolist(), column


def test_plot_xmr_draws_every_point_the_limits_and_the_latest_icon() -> None:
    from matplotlib.collections import PathCollection

    values = [10.0, 11, 9, 10, 12, 10, 9, 11, 10, 30]  # the last point beyond the upper limit
    chart = xmr_chart(values, improvement="increase")
    figure = plot_xmr(chart, title="t")
    axes = figure.axes[0]
    plotted = [c for c in axes.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in plotted) == len(values)
    heights = {round(float(line.get_ydata()[0]), 6) for line in axes.lines[1:4]}
    assert heights == {round(float(chart[c].iloc[0]), 6) for c in ("mean", "upper_limit", "lower_limit")}
    icon_text = [t.get_text() for t in figure.axes[1].texts]
    assert icon_text == ["H"]  # an improvement signal high: Making Data Count's letter, not an arrow


def test_computing_a_chart_does_not_import_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys, college.methods.spc as s; s.xmr_chart([1, 2, 3]); sys.exit('matplotlib' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
