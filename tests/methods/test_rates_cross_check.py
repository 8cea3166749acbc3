"""Exact Poisson intervals cross-checked against SciPy (a test-only dependency, in ``[dev]``).

The module computes chi-squared quantiles with its own regularised incomplete gamma function, so that the
library needs no SciPy; here every count from 0 to 300, every seventh to 1,000 and some large ones, at three confidence levels must
agree with ``scipy.stats.chi2.ppf``: lower = χ²(α/2; 2O) / 2, upper = χ²(1 - α/2; 2O + 2) / 2.
"""

from __future__ import annotations

import pytest

from college.methods import exact_poisson_ci

stats = pytest.importorskip("scipy.stats", reason="SciPy is a test-only dependency ([dev])")

COUNTS = [*range(0, 301), *range(301, 1_001, 7), 2_500, 10_000, 123_456]
RELATIVE_TOLERANCE = 1e-9


@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.8])
def test_exact_interval_agrees_with_scipy(confidence: float) -> None:
    alpha = 1 - confidence
    wrong = []
    for count in COUNTS:
        ours = exact_poisson_ci(count, confidence)
        lower = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
        if ours.lower != pytest.approx(lower, rel=RELATIVE_TOLERANCE, abs=1e-12):
            wrong.append(f"{count}: lower {ours.lower} != {lower}")
        if ours.upper != pytest.approx(upper, rel=RELATIVE_TOLERANCE):
            wrong.append(f"{count}: upper {ours.upper} != {upper}")
    assert wrong == []
