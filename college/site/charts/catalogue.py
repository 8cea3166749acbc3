"""Every chart the course shows, each drawn from the shared synthetic data in ``data/`` by the college's methods.

Each function takes the data folder and returns a :class:`Chart`; :data:`CHARTS` maps a chart id (as a page's
marker names it) to its function. The alt text and captions state what the numbers show, worked out from them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from college.methods.spc import VARIATION_COLOURS, plot_xmr, summary, xmr_chart
from college.methods.waiting_times import percentile_from_weekly_bands, weekly_band_counts
from college.site.charts.model import Chart
from college.site.charts.registry import CHART_FUNCTIONS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TEXT = "#212b32"  # NHS Black: 15:1 on white
GREY = "#425563"  # NHS Dark Grey: 7.6:1
BLUE = "#005eb8"  # NHS Blue: 5.9:1
DARK_BLUE = "#003087"  # NHS Dark Blue
PINK = "#ae2573"  # NHS Pink: 5.8:1
GREEN = "#006747"  # NHS Dark Green: 7:1
ORANGE = VARIATION_COLOURS["special_cause_concern"]
PALE = "#c8d6e5"  # a light fill behind the lines (a band, not information on its own)
SERIES = (BLUE, PINK, GREEN, ORANGE, DARK_BLUE)
LINE_STYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)))

BASELINE_MONTHS = 24
"""The data dictionary says the first 24 months of every monthly series are stable."""


def _monthly(data: Path) -> pd.DataFrame:
    return pd.read_csv(data / "monthly_indicators.csv", parse_dates=["month"]).sort_values(
        ["provider_code", "month"]
    )


def _series(data: Path, provider: str, column: str) -> pd.Series:
    monthly = _monthly(data)
    return monthly[monthly["provider_code"] == provider].set_index("month")[column]


def _figure(width: float = 8, height: float = 4.2) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _style(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(TEXT)
    axes.tick_params(colors=TEXT, labelsize=9)
    axes.xaxis.label.set_color(TEXT)
    axes.yaxis.label.set_color(TEXT)
    axes.title.set_color(TEXT)


def _month(value: pd.Timestamp) -> str:
    return f"{value:%B %Y}"


def _months_text(months: pd.Index) -> str:
    return f"{_month(months[0])} to {_month(months[-1])}"


# XmR chart ----------------------------------------------------------------------------------------------------


def xmr_four_hour(data: Path) -> Chart:
    """Four-hour performance at SYN01 (Synthetic Northgate) with limits from its stable first 24 months."""
    series = _series(data, "SYN01", "four_hour_pct")
    chart = xmr_chart(series, improvement="increase", baseline_points=BASELINE_MONTHS)
    latest = summary(chart)
    figure = plot_xmr(
        chart,
        title="Four-hour performance fell for eight months, then returned to its usual level",
        ylabel="Attendances within four hours (%)",
    )
    signals = chart.index[chart["special_cause"]]
    mean, lower, upper = chart["mean"].iloc[0], chart["lower_limit"].iloc[0], chart["upper_limit"].iloc[0]
    alt = (
        f"XmR chart of monthly four-hour performance at synthetic provider SYN01, {_months_text(chart.index)}. "
        f"The mean is {mean:.1f}% with process limits of {lower:.1f}% and {upper:.1f}%. "
        f"{len(signals)} months from {_month(signals[0])} to {_month(signals[-1])} show special cause concern: "
        f"a falling trend that went below the lower limit. The latest month shows "
        f"{latest.meaning[0].lower()}{latest.meaning[1:]}"
    )
    caption = (
        "XmR chart: four-hour performance by month at provider SYN01 (synthetic data), with the mean and process "
        f"limits from the first {BASELINE_MONTHS} months, computed by `college.methods.spc.xmr_chart`. Orange "
        "downward triangles mark special cause concern; the icon at the top right is the latest month's "
        "variation icon."
    )
    rules = ("outside_limits", "trend", "two_of_three", "shift")
    names = {
        "outside_limits": "beyond a limit",
        "trend": "trend",
        "two_of_three": "two of three close to a limit",
        "shift": "shift",
    }
    table = pd.DataFrame(
        {
            "Month": [_month(m) for m in chart.index],
            "Four-hour performance (%)": [f"{v:.1f}" for v in chart["value"]],
            "Mean (%)": [f"{v:.2f}" for v in chart["mean"]],
            "Lower limit (%)": [f"{v:.2f}" for v in chart["lower_limit"]],
            "Upper limit (%)": [f"{v:.2f}" for v in chart["upper_limit"]],
            "Variation": [v.replace("_", " ") for v in chart["variation"]],
            "Rules": [
                ", ".join(names[r] for r in rules if bool(row[r])) or "none" for _, row in chart.iterrows()
            ],
        }
    )
    return Chart("xmr-four-hour-syn01", figure, alt, caption, table)


# Run chart ----------------------------------------------------------------------------------------------------


def run_chart_attendances(data: Path) -> Chart:
    """A run chart: monthly A&E attendances at SYN01 with their median as the centre line."""
    series = _series(data, "SYN01", "ae_attendances")
    median = float(series.median())
    figure = _figure()
    axes = figure.add_subplot()
    axes.plot(series.index, series.to_numpy(), color=BLUE, marker="o", markersize=4, linewidth=1.2)
    axes.axhline(median, color=TEXT, linewidth=1.2)
    axes.annotate(
        f"Median {median:,.0f}",
        xy=(1.0, median),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        fontsize=9,
        color=TEXT,
    )
    axes.set_title("A&E attendances stayed close to their median", loc="left", fontsize=11)
    axes.set_ylabel("Attendances per month")
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    _style(axes)
    above = int((series > median).sum())
    below = int((series < median).sum())
    alt = (
        f"Run chart of monthly A&E attendances at synthetic provider SYN01, {_months_text(series.index)}, "
        f"with the median of {median:,.0f} as the centre line. The points cross the median often "
        f"({above} above, {below} below) and show no sustained run or trend."
    )
    caption = (
        "Run chart: A&E attendances by month at provider SYN01 (synthetic data); the centre line is the median "
        "of all the months shown."
    )
    table = pd.DataFrame(
        {
            "Month": [_month(m) for m in series.index],
            "Attendances": [f"{int(v):,}" for v in series],
            "Median": [f"{median:,.1f}"] * len(series),
        }
    )
    return Chart("run-chart-attendances-syn01", figure, alt, caption, table)


# Funnel plot --------------------------------------------------------------------------------------------------

FUNNEL_LEVELS = (0.95, 0.998)


def funnel_limits(expected: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Limits of observed / expected deaths for an area as likely as the ICB, given its expected deaths.

    A Poisson count is close to normal on the square-root scale with standard deviation 1/2, so an area with
    ``E`` expected deaths has observed deaths within ``(sqrt(E) ± z/2)²`` with the given confidence; dividing by
    ``E`` gives the ratio's limits (Spiegelhalter 2005, *Funnel plots for comparing institutional performance*,
    on approximate limits).
    """
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    root = np.sqrt(expected)
    lower = np.clip(root - z / 2, 0, None) ** 2 / expected
    upper = (root + z / 2) ** 2 / expected
    return lower, upper


def area_ratios(data: Path) -> pd.DataFrame:
    """Observed and expected deaths per area, expected from the ICB's age- and sex-specific rates (module 7)."""
    deaths = pd.read_csv(data / "deaths.csv")
    icb = deaths.groupby(["sex", "age_band"])[["deaths", "population"]].sum()
    rates = (icb["deaths"] / icb["population"]).rename("rate")
    expected = deaths.join(rates, on=["sex", "age_band"])
    expected["expected"] = expected["rate"] * expected["population"]
    areas = expected.groupby(["area_code", "deprivation_decile"], as_index=False)[
        ["deaths", "expected"]
    ].sum()
    areas["ratio"] = areas["deaths"] / areas["expected"]
    return areas.sort_values("area_code", ignore_index=True)


def funnel_deaths(data: Path) -> Chart:
    areas = area_ratios(data)
    expected = areas["expected"].to_numpy(dtype=float)
    grid = np.linspace(max(1.0, float(expected.min()) * 0.9), float(expected.max()) * 1.05, 200)
    figure = _figure(8, 4.6)
    axes = figure.add_subplot()
    styles = {0.95: ("--", GREY), 0.998: ("-", TEXT)}
    for level in FUNNEL_LEVELS:
        style, colour = styles[level]
        lower, upper = funnel_limits(grid, level)
        axes.plot(grid, lower, linestyle=style, color=colour, linewidth=1.2)
        axes.plot(grid, upper, linestyle=style, color=colour, linewidth=1.2)
        axes.annotate(
            f"{level * 100:g}% limits",
            xy=(grid[-1], upper[-1]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=TEXT,
        )
    axes.axhline(1.0, color=TEXT, linewidth=0.8)
    lower95, upper95 = funnel_limits(expected, 0.95)
    lower998, upper998 = funnel_limits(expected, 0.998)
    ratio = areas["ratio"].to_numpy()
    beyond998 = (ratio < lower998) | (ratio > upper998)
    beyond95 = ((ratio < lower95) | (ratio > upper95)) & ~beyond998
    inside = ~(beyond95 | beyond998)
    axes.scatter(expected[inside], ratio[inside], s=10, color=BLUE, alpha=0.9, label="within 95% limits")
    axes.scatter(
        expected[beyond95], ratio[beyond95], s=22, color=PINK, marker="s", label="beyond 95% limits only"
    )
    axes.scatter(
        expected[beyond998], ratio[beyond998], s=40, color=ORANGE, marker="D", label="beyond 99.8% limits"
    )
    axes.legend(loc="upper right", fontsize=9, frameon=False, labelcolor=TEXT)
    axes.set_title("Few small areas stand out once chance is allowed for", loc="left", fontsize=11)
    axes.set_xlabel("Expected deaths (from the ICB's age- and sex-specific rates)")
    axes.set_ylabel("Observed ÷ expected deaths")
    _style(axes)
    alt = (
        f"Funnel plot of {len(areas)} synthetic small areas: the ratio of observed to expected deaths against "
        f"expected deaths, with 95% and 99.8% limits that narrow as areas get larger. "
        f"{int(beyond95.sum() + beyond998.sum())} areas lie beyond the 95% limits and {int(beyond998.sum())} "
        "beyond the 99.8% limits; the rest are consistent with the ICB's death rates."
    )
    caption = (
        "Funnel plot: observed ÷ expected deaths per small area (synthetic data, 2023), expected deaths from the "
        "ICB's age- and sex-specific rates, with approximate Poisson limits (square-root scale) at 95% and 99.8%."
    )
    position = np.where(beyond998, "beyond 99.8%", np.where(beyond95, "beyond 95% only", "within 95%"))
    table = pd.DataFrame(
        {
            "Area": areas["area_code"],
            "Deprivation decile": areas["deprivation_decile"].astype(str),
            "Observed deaths": areas["deaths"].astype(int).astype(str),
            "Expected deaths": [f"{v:.1f}" for v in expected],
            "Observed ÷ expected": [f"{v:.2f}" for v in ratio],
            "99.8% limits": [f"{lo:.2f} to {hi:.2f}" for lo, hi in zip(lower998, upper998, strict=True)],
            "Position": position,
        }
    )
    return Chart("funnel-area-deaths", figure, alt, caption, table)


# Forecast -----------------------------------------------------------------------------------------------------

HOLD_OUT_MONTHS = 12


def seasonal_naive_forecast(series: pd.Series, steps: int, confidence: float = 0.95) -> pd.DataFrame:
    """Same month last year, with a normal prediction interval from the one-year-back residuals (module 12)."""
    residuals = (series - series.shift(12)).dropna()
    sigma = float(np.sqrt(np.mean(residuals**2)))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    forecast = np.array([series.iloc[-12 + (h % 12)] for h in range(steps)], dtype=float)
    months = pd.date_range(series.index[-1] + pd.offsets.MonthBegin(1), periods=steps, freq="MS")
    return pd.DataFrame(
        {"forecast": forecast, "lower": forecast - z * sigma, "upper": forecast + z * sigma}, index=months
    )


def forecast_attendances(data: Path) -> Chart:
    series = _series(data, "SYN01", "ae_attendances")
    train, test = series.iloc[:-HOLD_OUT_MONTHS], series.iloc[-HOLD_OUT_MONTHS:]
    forecast = seasonal_naive_forecast(train, HOLD_OUT_MONTHS)
    inside = int(((test >= forecast["lower"]) & (test <= forecast["upper"])).sum())
    figure = _figure()
    axes = figure.add_subplot()
    axes.fill_between(forecast.index, forecast["lower"], forecast["upper"], color=PALE, linewidth=0)
    axes.plot(forecast.index, forecast["lower"], color=GREY, linestyle=":", linewidth=1)
    axes.plot(forecast.index, forecast["upper"], color=GREY, linestyle=":", linewidth=1)
    axes.plot(train.index, train.to_numpy(), color=TEXT, linewidth=1.2, label="history (fitted on)")
    axes.plot(
        forecast.index, forecast["forecast"], color=BLUE, linestyle="--", linewidth=1.5, label="forecast"
    )
    axes.plot(
        test.index,
        test.to_numpy(),
        color=PINK,
        marker="o",
        markersize=4,
        linewidth=1,
        label="actual (held out)",
    )
    axes.annotate(
        "95% prediction interval",
        xy=(forecast.index[-1], float(forecast["upper"].iloc[-1])),
        xytext=(4, 4),
        textcoords="offset points",
        fontsize=9,
        color=TEXT,
        ha="right",
        va="bottom",
    )
    axes.legend(loc="lower left", fontsize=9, frameon=False, labelcolor=TEXT)
    axes.set_title(
        f"{inside} of {HOLD_OUT_MONTHS} held-out months fell inside the 95% prediction interval",
        loc="left",
        fontsize=11,
    )
    axes.set_ylabel("A&E attendances per month")
    axes.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    _style(axes)
    width = float(forecast["upper"].iloc[0] - forecast["forecast"].iloc[0])
    alt = (
        f"Line chart of monthly A&E attendances at synthetic provider SYN01. A seasonal naive forecast for "
        f"{_months_text(forecast.index)}, made from the {len(train)} months before, has a 95% prediction "
        f"interval of plus or minus {width:,.0f} attendances; {inside} of the {HOLD_OUT_MONTHS} actual values "
        "fell inside it."
    )
    caption = (
        "Seasonal naive forecast (same month last year) of A&E attendances at provider SYN01 (synthetic data), "
        f"fitted on {_months_text(train.index)} and tested on the {HOLD_OUT_MONTHS} months held back; the shaded "
        "band is the 95% prediction interval from the one-year-back errors."
    )
    table = pd.DataFrame(
        {
            "Month": [_month(m) for m in forecast.index],
            "Forecast": [f"{v:,.0f}" for v in forecast["forecast"]],
            "Lower 95%": [f"{v:,.0f}" for v in forecast["lower"]],
            "Upper 95%": [f"{v:,.0f}" for v in forecast["upper"]],
            "Actual": [f"{int(v):,}" for v in test],
            "Inside the interval": [
                "yes" if lo <= a <= hi else "no"
                for a, lo, hi in zip(test, forecast["lower"], forecast["upper"], strict=True)
            ],
        }
    )
    return Chart("forecast-attendances-syn01", figure, alt, caption, table)


# Good and bad chart pairs (module 11) -------------------------------------------------------------------------


def yearly_four_hour(data: Path, year: int = 2023) -> pd.Series:
    """Four-hour performance per provider for a year, weighted by attendances (per cent)."""
    monthly = _monthly(data)
    rows = monthly[monthly["month"].dt.year == year].copy()
    rows["within"] = rows["four_hour_pct"] / 100 * rows["ae_attendances"]
    grouped = rows.groupby("provider_code")[["within", "ae_attendances"]].sum()
    return (100 * grouped["within"] / grouped["ae_attendances"]).sort_values(ascending=False)


def pair_bars_from_zero(data: Path) -> Chart:
    shares = yearly_four_hour(data)
    figure = _figure(8, 3.6)
    bad, good = figure.subplots(1, 2)
    low = math.floor(float(shares.min())) - 1
    for axes, bottom, title in (
        (bad, low, f"Harder to read: the axis starts at {low}%"),
        (good, 0, "Easier to read: bars start at zero"),
    ):
        axes.barh(shares.index, shares.to_numpy(), color=BLUE)
        axes.set_xlim(bottom, 100 if bottom == 0 else math.ceil(float(shares.max())) + 1)
        axes.invert_yaxis()
        axes.set_title(title, loc="left", fontsize=10)
        axes.set_xlabel("Four-hour performance, 2023 (%)")
        _style(axes)
    for provider, value in shares.items():
        good.annotate(
            f"{value:.1f}%",
            xy=(value, provider),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=TEXT,
        )
    ratio = float(shares.max() - low) / float(shares.min() - low)
    alt = (
        f"Two bar charts of the same figures: four-hour performance in 2023 for five synthetic providers, from "
        f"{shares.min():.1f}% to {shares.max():.1f}%. On the left the axis starts at {low}%, so the longest bar "
        f"looks {ratio:.1f} times the shortest; on the right the bars start at zero and their lengths are in "
        "proportion to the figures."
    )
    caption = (
        "A good and a bad chart of the same numbers (synthetic data): a bar chart whose axis does not start at "
        "zero exaggerates differences, because readers compare the lengths of the bars."
    )
    table = pd.DataFrame(
        {"Provider": list(shares.index), "Four-hour performance, 2023 (%)": [f"{v:.1f}" for v in shares]}
    )
    return Chart("pair-bars-from-zero", figure, alt, caption, table)


def _spread_labels(ends: pd.Series, gap: float) -> dict[str, float]:
    """Heights for labels at the ends of lines, moved apart so that no two are closer than ``gap``."""
    placed: dict[str, float] = {}
    previous = -math.inf
    for name, value in ends.sort_values().items():
        height = max(float(value), previous + gap)
        placed[str(name)] = height
        previous = height
    return placed


def pair_direct_labels(data: Path) -> Chart:
    monthly = _monthly(data)
    wide = monthly.pivot(index="month", columns="provider_code", values="four_hour_pct")
    focus = "SYN01"
    figure = _figure(8, 3.8)
    bad, good = figure.subplots(1, 2, sharey=True)
    for provider in wide.columns:
        bad.plot(
            wide.index,
            wide[provider],
            linewidth=1,
            label=provider,
            color=SERIES[list(wide.columns).index(provider)],
        )
    bad.legend(loc="lower left", fontsize=8, frameon=False, ncols=2, labelcolor=TEXT)
    bad.set_title("Harder to read: a legend and colour alone", loc="left", fontsize=10)
    for number, provider in enumerate(wide.columns):
        is_focus = provider == focus
        good.plot(
            wide.index,
            wide[provider],
            linewidth=2 if is_focus else 1,
            color=BLUE if is_focus else GREY,
            linestyle="-" if is_focus else LINE_STYLES[number % len(LINE_STYLES)],
        )
    for provider, height in _spread_labels(wide.iloc[-1], gap=2.2).items():
        good.annotate(
            provider,
            xy=(wide.index[-1], height),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            color=BLUE if provider == focus else TEXT,
        )
    good.set_title(f"Easier to read: {focus} picked out, lines labelled", loc="left", fontsize=10)
    bad.set_ylabel("Four-hour performance (%)")
    for axes in (bad, good):
        axes.tick_params(axis="x", labelrotation=45)
        _style(axes)
    falls = wide.min()
    alt = (
        f"Two line charts of monthly four-hour performance for {len(wide.columns)} synthetic providers, "
        f"{_months_text(wide.index)}. On the left five coloured lines are told apart only by a legend; on the "
        f"right provider {focus}, whose performance fell to {falls[focus]:.1f}% in "
        f"{_month(wide.index[int(np.argmin(wide[focus].to_numpy()))])}, is drawn in blue and the others in grey with different dashes, each "
        "labelled at its end."
    )
    caption = (
        "A good and a bad chart of the same numbers (synthetic data): label lines directly and pick out the one "
        "that matters, instead of relying on colour and a legend."
    )
    table = pd.DataFrame({"Month": [_month(m) for m in wide.index]})
    for provider in wide.columns:
        table[f"{provider} (%)"] = [f"{v:.1f}" for v in wide[provider]]
    return Chart("pair-direct-labels", figure, alt, caption, table)


# Waiting list -------------------------------------------------------------------------------------------------

STANDARD_WEEKS = 18


def waiting_list_weeks(data: Path) -> Chart:
    rtt = pd.read_csv(data / "rtt_pathways.csv", parse_dates=["census_date"])
    waiting = rtt[rtt["pathway_status"] == "incomplete"]
    counts = weekly_band_counts(waiting["days_waited"])
    median = percentile_from_weekly_bands(counts, 0.5)
    p92 = percentile_from_weekly_bands(counts, 0.92)
    within = float((waiting["days_waited"] <= 7 * STANDARD_WEEKS).mean())
    census = waiting["census_date"].iloc[0]
    figure = _figure()
    axes = figure.add_subplot()
    axes.bar(counts.index - 0.5, counts.to_numpy(), width=1.0, color=BLUE, edgecolor="white", linewidth=0.3)
    top = float(counts.max())
    for weeks, label, style in (
        (STANDARD_WEEKS, "18 weeks", "-"),
        (median, f"median {median:.1f} weeks", "--"),
        (p92, f"92nd percentile {p92:.1f} weeks", ":"),
    ):
        axes.axvline(weeks, color=TEXT, linestyle=style, linewidth=1.4)
        axes.annotate(
            label, xy=(weeks, top), xytext=(3, 0), textcoords="offset points", fontsize=9, color=TEXT
        )
    axes.set_title(
        f"{within:.0%} of the waiting list had waited 18 weeks or less (standard: 92%)",
        loc="left",
        fontsize=11,
    )
    axes.set_xlabel("Weeks waited (weekly bands)")
    axes.set_ylabel("Incomplete pathways")
    _style(axes)
    alt = (
        f"Histogram of {len(waiting):,} incomplete RTT pathways at {census:%d %B %Y} (synthetic data) by weeks "
        f"waited. {within:.1%} had waited 18 weeks or less, against the 92% standard; the median wait is "
        f"{median:.1f} weeks and the 92nd percentile {p92:.1f} weeks, a long tail reaching "
        f"{int(counts.index.max())} weeks."
    )
    caption = (
        "Waiting list (incomplete referral to treatment pathways) by weekly band, synthetic data; the median and "
        "92nd percentile are estimated from the weekly bands by `college.methods.waiting_times`, as NHS England's "
        "published statistics do."
    )
    table = pd.DataFrame(
        {
            "Weekly band": [f"{k - 1} to {k} weeks" for k in counts.index],
            "Incomplete pathways": [str(int(v)) for v in counts],
        }
    )
    return Chart("waiting-list-weeks", figure, alt, caption, table)


CHARTS: dict[str, Callable[[Path], Chart]] = {
    chart_id: globals()[function] for chart_id, function in CHART_FUNCTIONS.items()
}
"""Every chart id a page may name (from :mod:`college.site.charts.registry`), and the function that draws it."""
