"""Vectorised sampling helpers shared by the data set generators."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def categorical(rng: np.random.Generator, probabilities: npt.ArrayLike, group: IntArray) -> IntArray:
    """One category per row, drawn with the probabilities of the row's group.

    ``probabilities`` holds one row of weights per group; each row is normalised. Returns category indices.
    """
    table = np.atleast_2d(np.asarray(probabilities, dtype=np.float64))
    if (table < 0).any():
        raise ValueError("probabilities cannot be negative")
    cumulative = np.cumsum(table, axis=1)
    cumulative /= cumulative[:, -1:]
    rows = cumulative[group]
    return (rng.random(size=len(group))[:, None] >= rows[:, :-1]).sum(axis=1).astype(np.int64)


def choice(rng: np.random.Generator, weights: npt.ArrayLike, size: int) -> IntArray:
    """``size`` categories drawn with the given weights (normalised)."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    cumulative /= cumulative[-1]
    return np.searchsorted(cumulative, rng.random(size=size), side="right").astype(np.int64)


def frailty_counts(rng: np.random.Generator, rate: FloatArray, shape: float) -> IntArray:
    """Counts per person from a Poisson rate scaled by a gamma-distributed frailty with mean 1 (negative binomial):
    a few people account for many events, as frequent attenders do."""
    frailty = rng.gamma(shape, 1.0 / shape, size=len(rate))
    return rng.poisson(rate * frailty).astype(np.int64)


def lognormal_minutes(rng: np.random.Generator, median: FloatArray, sigma: float | FloatArray) -> FloatArray:
    """Durations with the given medians and log-scale spread."""
    return median * np.exp(sigma * rng.standard_normal(size=len(median)))
