"""A cautious check of the Making Data Count special cause rules, used to make the monthly series clean.

The generator must know that each series shows special cause variation exactly where an event was injected,
whatever reasonable reading of the rules an analyst's tool takes. So this module reports two things for a series
with limits fixed on a baseline:

- ``possible_signals``: every point that *any* of several variants might flag (limits with and without
  screening of large moving ranges; runs of six as well as seven points; a point on the mean counting towards a
  run on either side). Outside the events there must be none.
- ``certain_signals``: points that *every* variant flags (a point beyond both versions of the limits, or a run of
  eight). Each event must contain one.

The published rules (NHS England, Making Data Count): a point beyond a process limit (mean ± 2.66 × mean moving
range); a run of points all rising or all falling; two of three points beyond two thirds of the way to a limit
on the same side; a run of points on one side of the mean. The project's own implementation is
``college.methods.spc``; this module exists so that the data do not depend on it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

LIMIT_FACTOR = 2.66
SCREEN_FACTOR = 3.267


def _mean_moving_ranges(baseline: FloatArray) -> tuple[float, float]:
    """Mean moving range of the baseline, without and with screening of very large moving ranges."""
    ranges = np.abs(np.diff(baseline))
    plain = float(ranges.mean())
    kept = ranges[ranges < SCREEN_FACTOR * plain]
    return plain, float(kept.mean()) if len(kept) else plain


def _runs(condition: BoolArray, length: int) -> BoolArray:
    """Points inside a run of at least ``length`` consecutive true values."""
    flagged = np.zeros(len(condition), dtype=bool)
    start = None
    for index, value in enumerate([*condition.tolist(), False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            if index - start >= length:
                flagged[start:index] = True
            start = None
    return flagged


def _trend_runs(values: FloatArray, points: int) -> BoolArray:
    """Points inside a run of ``points`` or more values each strictly above (or each strictly below) the last."""
    flagged = np.zeros(len(values), dtype=bool)
    for step in (np.diff(values) > 0, np.diff(values) < 0):
        rises = _runs(step, points - 1)
        flagged[1:] |= rises
        flagged[:-1] |= rises
    return flagged


def _flags(values: FloatArray, mean: float, spread: float, run: int, ties_count: bool) -> BoolArray:
    upper, lower = mean + LIMIT_FACTOR * spread, mean - LIMIT_FACTOR * spread
    outside = (values > upper) | (values < lower)
    near_upper = values > mean + 2 / 3 * LIMIT_FACTOR * spread
    near_lower = values < mean - 2 / 3 * LIMIT_FACTOR * spread
    two_of_three = np.zeros(len(values), dtype=bool)
    for near in (near_upper, near_lower):
        for start in range(len(values) - 2):
            window = slice(start, start + 3)
            if near[window].sum() >= 2:
                two_of_three[window] |= near[window]
    above = values >= mean if ties_count else values > mean
    below = values <= mean if ties_count else values < mean
    shift = _runs(above, run) | _runs(below, run)
    return outside | two_of_three | shift | _trend_runs(values, run)


def possible_signals(values: FloatArray, baseline: int) -> BoolArray:
    """Points that some reasonable reading of the rules would flag."""
    mean = float(values[:baseline].mean())
    flagged = np.zeros(len(values), dtype=bool)
    for spread in _mean_moving_ranges(values[:baseline]):
        flagged |= _flags(values, mean, spread, run=6, ties_count=True)
    return flagged


def certain_signals(values: FloatArray, baseline: int) -> BoolArray:
    """Points that every reasonable reading of the rules would flag: beyond both limits, or in a run of eight."""
    mean = float(values[:baseline].mean())
    spreads = _mean_moving_ranges(values[:baseline])
    wide = max(spreads)
    outside = (values > mean + LIMIT_FACTOR * wide) | (values < mean - LIMIT_FACTOR * wide)
    shift = _runs(values > mean, 8) | _runs(values < mean, 8)
    return outside | shift | _trend_runs(values, 8)
