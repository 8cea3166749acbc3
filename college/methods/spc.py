"""XmR (individuals and moving range) charts the Making Data Count way.

Sources
-------
- NHS England, *Making Data Count* (the guides "Getting started" and "Strengthening your decisions"):
  https://www.england.nhs.uk/publication/making-data-count/ . An XmR chart has the mean as its centre line and
  process limits at the mean plus or minus 2.66 times the mean moving range. Special cause variation is
  signalled by (in order of priority) a point beyond a process limit; a run of seven points all going up or
  all going down (a trend); two out of three consecutive points close to a limit; a run of seven points on one
  side of the mean (a shift).
- NHS-R Community, *NHSRplotthedots* version 0.2.2 (MIT licence), the reference R implementation of those
  rules: https://github.com/nhs-r-community/NHSRplotthedots , files ``R/ptd_spc_standard.R`` and
  ``R/ptd_calculate_point_type.R``; vignette "Deviations from Excel defaults". Where the guides leave a detail
  open, this module does what NHSRplotthedots does, and says so:

  * **Screening moving ranges.** By default a moving range of 3.267 times the first mean moving range or more
    is left out and the mean moving range is computed again from the rest (Nelson 1982, "Control charts for
    individual measurements", *Journal of Quality Technology* 14(3):172-173; Provost and Murray 2011, *The
    Health Care Data Guide*, pp. 155, 192). NHSRplotthedots does this by default (``screen_outliers = TRUE``);
    its "Deviations" vignette notes that the Making Data Count Excel tools do not. Pass
    ``screen_outliers=False`` to reproduce the Excel tools.
  * **Trend.** Seven consecutive points, each strictly greater (or each strictly smaller) than the one before:
    six rises in a row. A repeated value (a tie) breaks the run. All seven points are flagged.
  * **Shift.** Seven consecutive points strictly on the same side of the mean. A point exactly on the mean
    breaks the run. All seven points are flagged.
  * **Two out of three.** A point is *close to a limit* when it lies beyond two thirds of the distance from
    the mean to a process limit but not beyond the limit itself. A close point is flagged when it sits in some
    window of three consecutive points of which at least two are close and all three lie strictly on the same
    side of the mean. Only the close points are flagged, not the third point of the window. (Other tools
    differ: an NHS England and NHS Improvement SPC SQL script of 2019, for example, also counts points beyond
    a limit towards the two. NHSRplotthedots does not, and neither does this module; a point beyond a limit
    is a signal on its own.)
  * **Limits are compared strictly**: a point exactly on a process limit is not beyond it.
  * **Fixing limits** (``baseline_points``): the mean and the mean moving range come from the first N points
    only (NHSRplotthedots' ``fix_after_n_points``); the rules are still applied to every point.
    NHSRplotthedots refuses N below 12 and calls limits from fewer than 12 points "trial" limits (vignette
    "Number of points required"); this module accepts any N from 2 so that small teaching examples work, and
    leaves that judgement to the analyst.
  * **Classifying a point**: the first rule that applies, in the priority order above, decides whether the
    signal points up (above the mean, or an increasing trend) or down. With an improvement direction that
    gives "special_cause_improvement" or "special_cause_concern"; with a neutral direction
    "special_cause_neither".

Deviation: when every moving range in the baseline is zero (a flat baseline), NHSRplotthedots' screening
leaves no moving ranges and its limits are undefined; here nothing is screened, the mean moving range is zero
and both limits equal the mean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

if TYPE_CHECKING:  # matplotlib is needed only to draw a chart, so it is imported where a chart is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Improvement = Literal["increase", "decrease", "neutral"]
Variation = Literal[
    "common_cause", "special_cause_improvement", "special_cause_concern", "special_cause_neither"
]

LIMIT_FACTOR = 2.66
"""Process limits sit this many mean moving ranges from the mean: 3 / d2, where d2 = 1.128 for n = 2."""

CLOSE_TO_LIMIT_FACTOR = 2 * LIMIT_FACTOR / 3
"""A point is close to a limit beyond two thirds of the distance from the mean to that limit."""

MOVING_RANGE_SCREEN_FACTOR = 3.267
"""Moving ranges at or above this many initial mean moving ranges are screened out (D4 for ranges of two)."""

RUN_LENGTH = 7
"""Points in a trend or a shift."""

COLUMNS = (
    "value",
    "mean",
    "moving_range",
    "mean_moving_range",
    "upper_limit",
    "lower_limit",
    "outside_limits",
    "trend",
    "two_of_three",
    "shift",
    "special_cause",
    "variation",
)

_IMPROVEMENTS: tuple[Improvement, ...] = ("increase", "decrease", "neutral")

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def xmr_chart(
    values: Iterable[float],
    improvement: Improvement = "neutral",
    baseline_points: int | None = None,
    *,
    screen_outliers: bool = True,
) -> pd.DataFrame:
    """Compute an XmR chart and apply the Making Data Count special cause rules.

    Args:
        values: the measurements in time order (a list, NumPy array or pandas Series; a Series keeps its
            index).
        improvement: which direction is better: "increase", "decrease" or "neutral" (neither).
        baseline_points: compute the mean and limits from the first N points only (fixed limits); None uses
            all the points.
        screen_outliers: leave out moving ranges of 3.267 times the first mean moving range or more before
            computing the mean moving range (NHSRplotthedots' default). False reproduces the Making Data Count
            Excel tools.

    Returns:
        One row per point with the columns listed in ``COLUMNS``: ``value``, ``mean``, ``moving_range`` (the
        absolute difference from the previous point, missing for the first; shown for every point, even those
        outside the baseline or screened out), ``mean_moving_range`` (the one used for the limits),
        ``upper_limit``, ``lower_limit``, the rule flags ``outside_limits``, ``trend``, ``two_of_three``,
        ``shift``, ``special_cause`` (any rule) and ``variation``.

    Raises:
        ValueError: fewer than 2 points, a missing or infinite value, a value that is not a number, an unknown
            improvement direction or a baseline outside 2 to the number of points.
    """
    y = _as_float_array(values)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(y))
    if improvement not in _IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {', '.join(_IMPROVEMENTS)}; got {improvement!r}")
    baseline = _check_baseline(baseline_points, len(y))

    moving_range = np.concatenate(([np.nan], np.abs(np.diff(y))))
    mean = float(np.mean(y[:baseline]))
    mean_moving_range = _mean_moving_range(y[:baseline], screen_outliers)
    upper = mean + LIMIT_FACTOR * mean_moving_range
    lower = mean - LIMIT_FACTOR * mean_moving_range

    outside = (y > upper) | (y < lower)
    side = np.sign(y - mean).astype(np.int64)
    close = ~outside & (
        (y > mean + CLOSE_TO_LIMIT_FACTOR * mean_moving_range)
        | (y < mean - CLOSE_TO_LIMIT_FACTOR * mean_moving_range)
    )
    trend = _part_of_trend(y)
    two_of_three = _part_of_two_of_three(close, side)
    shift = _part_of_shift(side)
    special = outside | trend | two_of_three | shift
    direction = _signal_direction(y, side, outside, trend, two_of_three, shift)
    variation = [_classify(int(d), improvement) for d in direction]

    n = len(y)
    return pd.DataFrame(
        {
            "value": y,
            "mean": np.full(n, mean),
            "moving_range": moving_range,
            "mean_moving_range": np.full(n, mean_moving_range),
            "upper_limit": np.full(n, upper),
            "lower_limit": np.full(n, lower),
            "outside_limits": outside,
            "trend": trend,
            "two_of_three": two_of_three,
            "shift": shift,
            "special_cause": special,
            "variation": variation,
        },
        index=index,
    )


@dataclass(frozen=True)
class VariationSummary:
    """What the Making Data Count variation icon says about the latest point of a chart."""

    variation: Variation
    """The latest point's class, as in the chart's ``variation`` column."""
    icon: str
    """The icon's name as NHSRplotthedots names its files: ``common_cause``, ``improvement_high``,
    ``improvement_low``, ``concern_high``, ``concern_low``, ``neutral_high`` or ``neutral_low``."""
    meaning: str
    """The icon's meaning in plain English."""


_MEANINGS = {
    "common_cause": "Common cause variation: no significant change.",
    "improvement_high": "Special cause variation of an improving nature, where higher is better.",
    "improvement_low": "Special cause variation of an improving nature, where lower is better.",
    "concern_high": "Special cause variation of a concerning nature, where higher is worse.",
    "concern_low": "Special cause variation of a concerning nature, where lower is worse.",
    "neutral_high": "Special cause variation upwards, where neither direction is better.",
    "neutral_low": "Special cause variation downwards, where neither direction is better.",
}


def summary(chart: pd.DataFrame) -> VariationSummary:
    """Name the Making Data Count variation icon for the latest (last) point of an ``xmr_chart`` result.

    The icon shows the latest point's variation and, for special causes, whether the signal was high or low
    (as NHSRplotthedots' ``ptd_get_icons``): an improvement where higher is better is "improvement_high", a
    concern where higher is better is "concern_low", and so on.

    Raises:
        ValueError: the data frame is not an ``xmr_chart`` result with at least two rows.
    """
    missing = [column for column in COLUMNS if column not in chart.columns]
    if missing:
        raise ValueError(f"summary needs a data frame from xmr_chart; missing columns: {', '.join(missing)}")
    if len(chart) < 2:
        raise ValueError("summary needs a chart of at least 2 points")
    last = chart.iloc[-1]
    variation: Variation = last["variation"]
    if variation == "common_cause":
        icon = "common_cause"
    else:
        if bool(last["outside_limits"]) or not bool(last["trend"]):
            upwards = last["value"] > last["mean"]
        else:
            # The last point of a trend ends it, so the trend's direction is that of its last step.
            upwards = last["value"] > chart["value"].iloc[-2]
        stem = {
            "special_cause_improvement": "improvement",
            "special_cause_concern": "concern",
            "special_cause_neither": "neutral",
        }[variation]
        icon = f"{stem}_{'high' if upwards else 'low'}"
    return VariationSummary(variation=variation, icon=icon, meaning=_MEANINGS[icon])


def _as_float_array(values: Iterable[float]) -> FloatArray:
    """Turn the input into a one-dimensional float array, refusing what cannot be charted."""
    if isinstance(values, str | bytes):
        raise ValueError("values must be a sequence of numbers, not a string")
    raw = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(list(values), dtype=np.object_)
    if raw.ndim != 1:
        raise ValueError(f"values must be one-dimensional; got shape {raw.shape}")
    if any(isinstance(v, bool | np.bool_) for v in raw):
        raise ValueError("values must be numbers, not booleans")
    try:
        y = raw.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"values must all be numbers: {error}") from None
    if len(y) < 2:
        raise ValueError(f"an XmR chart needs at least 2 points; got {len(y)}")
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        positions = ", ".join(str(int(i)) for i in bad[:10])
        raise ValueError(f"values must not be missing (NaN) or infinite; found at position(s) {positions}")
    return y


def _check_baseline(baseline_points: int | None, n: int) -> int:
    if baseline_points is None:
        return n
    if isinstance(baseline_points, bool) or not isinstance(baseline_points, int | np.integer):
        raise ValueError(f"baseline_points must be a whole number or None; got {baseline_points!r}")
    if not 2 <= baseline_points <= n:
        raise ValueError(
            f"baseline_points must be between 2 and the number of points ({n}); got {baseline_points}"
        )
    return int(baseline_points)


def _mean_moving_range(baseline: FloatArray, screen_outliers: bool) -> float:
    """Mean of the moving ranges within the baseline, after screening as NHSRplotthedots does."""
    ranges = np.abs(np.diff(baseline))
    first_mean = float(np.mean(ranges))
    if not screen_outliers or first_mean == 0.0:
        return first_mean
    kept = ranges[ranges < MOVING_RANGE_SCREEN_FACTOR * first_mean]
    return float(np.mean(kept))


def _spread_run_ends(ends: BoolArray) -> BoolArray:
    """Flag every point of each run of ``RUN_LENGTH`` whose last point is flagged in ``ends``."""
    flagged = ends.copy()
    for back in range(1, RUN_LENGTH):
        flagged[:-back] |= ends[back:]
    return flagged


def _part_of_trend(y: FloatArray) -> BoolArray:
    """Points in a run of seven each strictly above (or each strictly below) the one before."""
    n = len(y)
    ends = np.zeros(n, dtype=bool)
    steps = np.sign(np.diff(y))
    for end in range(RUN_LENGTH - 1, n):
        window = steps[end - RUN_LENGTH + 1 : end]
        ends[end] = bool(np.all(window == 1) or np.all(window == -1))
    return _spread_run_ends(ends)


def _part_of_shift(side: IntArray) -> BoolArray:
    """Points in a run of seven strictly on the same side of the mean."""
    n = len(side)
    ends = np.zeros(n, dtype=bool)
    for end in range(RUN_LENGTH - 1, n):
        window = side[end - RUN_LENGTH + 1 : end + 1]
        ends[end] = bool(window[0] != 0 and np.all(window == window[0]))
    return _spread_run_ends(ends)


def _part_of_two_of_three(close: BoolArray, side: IntArray) -> BoolArray:
    """Close points in a window of three with at least two close points, all three on one side of the mean."""
    n = len(close)
    in_window = np.zeros(n, dtype=bool)
    for start in range(n - 2):
        window = slice(start, start + 3)
        if int(np.sum(close[window])) >= 2 and abs(int(np.sum(side[window]))) == 3:
            in_window[window] = True
    return in_window & close


def _signal_direction(
    y: FloatArray,
    side: IntArray,
    outside: BoolArray,
    trend: BoolArray,
    two_of_three: BoolArray,
    shift: BoolArray,
) -> IntArray:
    """+1 for a signal upwards, -1 downwards, 0 for common cause; the first rule in priority order decides."""
    steps = np.sign(np.diff(y)).astype(np.int64)
    step_after = np.concatenate((steps, steps[-1:]))
    step_before = np.concatenate(([0], steps))
    # Inside a trend use the step to the next point, unless the next point is outside the trend (as
    # NHSRplotthedots does), so the first point of a trend takes the trend's direction.
    next_in_trend = np.concatenate((trend[1:], [False]))
    trend_direction = np.where(trend & next_in_trend, step_after, step_before)
    above_or_below = np.where(side > 0, 1, -1)
    return np.select(
        [outside, trend, two_of_three, shift],
        [above_or_below, trend_direction, above_or_below, above_or_below],
        default=0,
    ).astype(np.int64)


def _classify(direction: int, improvement: Improvement) -> Variation:
    if direction == 0:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neither"
    better = 1 if improvement == "increase" else -1
    return "special_cause_improvement" if direction == better else "special_cause_concern"


# Colours of the Making Data Count icons, darkened where needed so each has at least 3:1 contrast on white
# (WCAG 2.2 success criterion 1.4.11): grey for common cause, blue for improvement, orange for concern, purple for
# neither.
VARIATION_COLOURS: dict[str, str] = {
    "common_cause": "#425563",
    "special_cause_improvement": "#005eb8",
    "special_cause_concern": "#a94f00",
    "special_cause_neither": "#5c2d91",
}
_TEXT_COLOUR = "#212b32"
_VARIATION_LABELS = {
    "common_cause": "common cause",
    "special_cause_improvement": "special cause: improvement",
    "special_cause_concern": "special cause: concern",
    "special_cause_neither": "special cause: neither better nor worse",
}
_VARIATION_MARKERS = {
    "common_cause": "o",
    "special_cause_improvement": "^",
    "special_cause_concern": "v",
    "special_cause_neither": "D",
}


def plot_xmr(chart: pd.DataFrame, *, title: str = "", ylabel: str = "", icon: bool = True) -> Figure:
    """Draw an ``xmr_chart`` result the Making Data Count way, as a matplotlib Figure.

    The points and the line joining them, the mean and the two process limits (labelled at the right-hand end),
    each point's variation by colour *and* marker shape (so the chart does not rely on colour alone), and, with
    ``icon``, the variation icon of the latest point in the top-right corner: a circle in the icon's colour with
    "H" or "L" for a signal high or low, and a level line for common cause (as the icons of NHSRplotthedots and
    the Making Data Count tools).

    matplotlib is imported here, not with the module, so computing a chart needs no plotting library.

    Raises:
        ValueError: the data frame is not an ``xmr_chart`` result with at least two rows.
    """
    from matplotlib.figure import Figure

    latest = summary(chart)  # validates the data frame
    figure = Figure(figsize=(8, 4.2), layout="constrained")
    axes = figure.add_subplot()
    x = chart.index
    axes.plot(x, chart["value"], color=VARIATION_COLOURS["common_cause"], linewidth=1.2, zorder=2)
    for name, colour, style in (
        ("mean", _TEXT_COLOUR, "-"),
        ("upper_limit", "#425563", "--"),
        ("lower_limit", "#425563", "--"),
    ):
        axes.plot(x, chart[name], color=colour, linestyle=style, linewidth=1.2, zorder=1)
        label = {"mean": "Mean", "upper_limit": "Upper limit", "lower_limit": "Lower limit"}[name]
        axes.annotate(
            f"{label} {chart[name].iloc[-1]:.1f}",
            xy=(1.0, float(chart[name].iloc[-1])),
            xycoords=("axes fraction", "data"),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=_TEXT_COLOUR,
        )
    for variation, colour in VARIATION_COLOURS.items():
        points = chart[chart["variation"] == variation]
        if points.empty:
            continue
        axes.scatter(
            points.index,
            points["value"],
            color=colour,
            marker=_VARIATION_MARKERS[variation],
            s=36,
            zorder=3,
            label=_VARIATION_LABELS[variation],
        )
    axes.legend(loc="lower left", fontsize=9, frameon=False, labelcolor=_TEXT_COLOUR)
    if title:
        axes.set_title(title, loc="left", fontsize=11, color=_TEXT_COLOUR)
    if ylabel:
        axes.set_ylabel(ylabel, color=_TEXT_COLOUR)
    if icon:
        figure.get_layout_engine().set(rect=(0, 0, 1, 0.86))  # type: ignore[call-arg, union-attr]
        _draw_variation_icon(figure, latest)
    _style_axes(axes)
    return figure


def _draw_variation_icon(figure: Figure, latest: VariationSummary) -> None:
    from matplotlib.patches import Circle

    colour = VARIATION_COLOURS[latest.variation]
    figure.text(0.89, 0.93, "Latest month:", ha="right", va="center", fontsize=9, color=_TEXT_COLOUR)
    icon_axes = figure.add_axes((0.9, 0.87, 0.08, 0.12))
    icon_axes.set_axis_off()
    icon_axes.set_aspect("equal")
    icon_axes.set_xlim(-1.1, 1.1)
    icon_axes.set_ylim(-1.1, 1.1)
    icon_axes.add_patch(Circle((0, 0), 1.0, facecolor="white", edgecolor=colour, linewidth=2.5))
    if latest.variation == "common_cause":
        icon_axes.plot([-0.6, 0.6], [0, 0], color=colour, linewidth=2.5)
    else:
        letter = "H" if latest.icon.endswith("_high") else "L"
        icon_axes.text(0, 0, letter, ha="center", va="center", fontsize=13, fontweight="bold", color=colour)


def _style_axes(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(_TEXT_COLOUR)
    axes.tick_params(colors=_TEXT_COLOUR, labelsize=9)
