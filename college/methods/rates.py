"""Rates, proportions and their confidence intervals, following the OHID Fingertips technical guidance.

Sources
-------
- Office for Health Improvement and Disparities (formerly Public Health England), *Public Health Technical
  Guidance* (Fingertips): "Rates" (crude rates; Byar's method for counts of 10 or more, the chi-squared exact
  method for counts under 10),
  https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/Basic_statistics/Rates.html ,
  and the pages on proportions (Wilson score method) and directly standardised rates (Dobson's method, not
  published for fewer than 10 events) in the same guide:
  https://fingertips.phe.org.uk/static-reports/public-health-technical-guidance/ .
- Public Health England, *Technical Guide: Confidence Intervals* (Public Health Data Science, May 2018),
  appendices on Byar's, the chi-squared exact, the Wilson score and Dobson's methods:
  https://fingertips.phe.org.uk/profile/guidance .
- Breslow NE, Day NE (1987) *Statistical Methods in Cancer Research, volume II*, IARC (Byar's approximation).
- Armitage P, Berry G (2002) *Statistical Methods in Medical Research*, 4th edition (exact Poisson limits from
  chi-squared quantiles).
- Wilson EB (1927) "Probable inference, the law of succession, and statistical inference", *Journal of the
  American Statistical Association* 22:209-212; Newcombe RG (1998) "Two-sided confidence intervals for the
  single proportion: comparison of seven methods", *Statistics in Medicine* 17:857-872.
- Dobson AJ, Kuulasmaa K, Eberle E, Scherer J (1991) "Confidence intervals for weighted sums of Poisson
  parameters", *Statistics in Medicine* 10:457-462.
- Spiegelhalter DJ (2005) "Funnel plots for comparing institutional performance", *Statistics in Medicine*
  24:1185-1202, and "Handling over-dispersion of performance indicators", *Quality and Safety in Health Care*
  14:347-351: when units vary more than binomial chance allows, estimate a multiplicative over-dispersion
  factor (the Pearson chi-squared statistic over its degrees of freedom) and widen the limits by its square
  root. https://doi.org/10.1002/sim.1970 ; https://doi.org/10.1136/qshc.2005.013755
- Morris JK, Tan J, Fryers P, Bestwick J (2018) "Evaluation of stability of directly standardized rates for
  sparse data using simulation methods", *Population Health Metrics* 16:19 (why DSRs from fewer than 10
  events are not published).

Everything here is implemented from the published formulas. No code is taken from PHEindicatormethods
(GPL-3); SciPy is not a dependency, so the chi-squared quantiles come from this module's own regularised
incomplete gamma function.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

SMALL_COUNT = 10
"""Fingertips: counts below this use the exact method; DSRs built on fewer events are not published."""

CountMethod = Literal["byar", "exact"]


@dataclass(frozen=True)
class CountInterval:
    """A confidence interval for a count of events assumed to follow a Poisson distribution."""

    count: int
    """The observed number of events."""
    lower: float
    """Lower confidence limit for the expected count."""
    upper: float
    """Upper confidence limit for the expected count."""
    confidence: float
    """Two-sided confidence level, for example 0.95."""
    method: CountMethod
    """"byar" (Byar's approximation) or "exact" (chi-squared exact method)."""


@dataclass(frozen=True)
class Rate:
    """A crude rate with its confidence interval."""

    count: int
    """Number of events."""
    person_years: float
    """Population-years at risk (the denominator)."""
    per: float
    """The rate is expressed per this many person-years (for example 100,000)."""
    rate: float
    """count / person_years × per."""
    lower: float
    upper: float
    confidence: float
    method: CountMethod
    """How the count's interval was computed."""


@dataclass(frozen=True)
class Proportion:
    """A proportion (0 to 1) with its Wilson score confidence interval."""

    successes: int
    n: int
    proportion: float
    lower: float
    upper: float
    confidence: float


@dataclass(frozen=True)
class StandardisedRate:
    """A directly standardised rate with Dobson's confidence interval."""

    total_count: int
    """Events summed over all bands."""
    rate: float
    """The directly standardised rate, per ``per``."""
    lower: float
    upper: float
    confidence: float
    per: float
    count_interval: CountInterval
    """The interval for the total count that Dobson's method scales."""
    suppressed: Literal[False] = False


@dataclass(frozen=True)
class SuppressedRate:
    """A directly standardised rate that is not published because too few events were observed."""

    total_count: int
    reason: str
    confidence: float
    per: float
    suppressed: Literal[True] = True


def z_value(confidence: float) -> float:
    """The standard normal quantile for a two-sided interval: 1.959964 for 0.95, 3.090232 for 0.998."""
    _check_confidence(confidence)
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


Z_95 = NormalDist().inv_cdf(0.975)
"""z for a two-sided 95 % interval (1.959964)."""
Z_99_8 = NormalDist().inv_cdf(0.999)
"""z for a two-sided 99.8 % interval (3.090232)."""


def byar_ci(count: int, confidence: float = 0.95) -> CountInterval:
    """Byar's approximation to the exact Poisson confidence interval for a count.

    With O the count and z the normal quantile for the confidence level:
    lower = O (1 - 1/(9 O) - z / (3 √O))³ and upper = (O + 1) (1 - 1/(9 (O + 1)) + z / (3 √(O + 1)))³.
    Fingertips uses it for counts of 10 or more, where it is within 0.2 % of the exact limits at 95 %; use
    :func:`count_ci` to choose between this and :func:`exact_poisson_ci` as Fingertips does.

    Raises:
        ValueError: the count is not a whole number of at least 1, or the approximation breaks down (its lower
            limit would be negative, which happens only for very small counts at high confidence).
    """
    observed = _check_count(count, "count")
    z = z_value(confidence)
    if observed < 1:
        raise ValueError("Byar's method needs a count of at least 1; use exact_poisson_ci for a count of 0")
    base = 1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))
    if base < 0:
        raise ValueError(
            f"Byar's method breaks down for a count of {observed} at {confidence:.1%} confidence; "
            "use exact_poisson_ci"
        )
    lower = observed * base**3
    upper = (observed + 1) * (1 - 1 / (9 * (observed + 1)) + z / (3 * math.sqrt(observed + 1))) ** 3
    return CountInterval(observed, lower, upper, confidence, "byar")


def exact_poisson_ci(count: int, confidence: float = 0.95) -> CountInterval:
    """The exact Poisson confidence interval for a count, from chi-squared quantiles.

    lower = χ²(α/2; 2O) / 2 and upper = χ²(1 - α/2; 2O + 2) / 2, where α = 1 - confidence
    (Armitage and Berry 2002; Fingertips "Rates"). The lower limit for a count of 0 is 0. A chi-squared quantile with 2k degrees of
    freedom is twice the gamma quantile with shape k, which is what is computed here.
    """
    observed = _check_count(count, "count")
    alpha = 1 - _check_confidence(confidence)
    lower = 0.0 if observed == 0 else _gamma_quantile_lower_tail(observed, alpha / 2)
    upper = _gamma_quantile_upper_tail(observed + 1, alpha / 2)
    return CountInterval(observed, lower, upper, confidence, "exact")


def count_ci(count: int, confidence: float = 0.95) -> CountInterval:
    """The interval Fingertips uses for a count: exact below 10 events, Byar's method from 10."""
    observed = _check_count(count, "count")
    if observed < SMALL_COUNT:
        return exact_poisson_ci(observed, confidence)
    return byar_ci(observed, confidence)


def crude_rate(count: int, person_years: float, per: float = 100_000, confidence: float = 0.95) -> Rate:
    """A crude rate, count / person-years × per, with the count's interval divided by the person-years.

    The count's interval comes from :func:`count_ci` (exact below 10 events, Byar's method from 10).
    """
    observed = _check_count(count, "count")
    years = _check_positive(person_years, "person_years")
    scale = _check_positive(per, "per")
    interval = count_ci(observed, confidence)
    return Rate(
        count=observed,
        person_years=years,
        per=scale,
        rate=observed / years * scale,
        lower=interval.lower / years * scale,
        upper=interval.upper / years * scale,
        confidence=confidence,
        method=interval.method,
    )


def wilson_ci(successes: int, n: int, confidence: float = 0.95) -> Proportion:
    """The Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3; Fingertips).

    With p = successes / n: the limits are (p + z²/(2n) ∓ z √(p(1 - p)/n + z²/(4n²))) / (1 + z²/n).
    """
    total = _check_count(n, "n")
    hits = _check_count(successes, "successes")
    if total == 0:
        raise ValueError("n must be at least 1")
    if hits > total:
        raise ValueError(f"successes ({hits}) must not exceed n ({total})")
    z = z_value(confidence)
    p = hits / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    half_width = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    denominator = 1 + z2 / total
    lower = 0.0 if hits == 0 else (centre - half_width) / denominator
    upper = 1.0 if hits == total else (centre + half_width) / denominator
    return Proportion(hits, total, p, lower, upper, confidence)


def dispersion_ratio(successes: Iterable[int], trials: Iterable[int]) -> float:
    """How much more several proportions vary than binomial chance allows (1 means no more; Spiegelhalter 2005).

    The groups (months, say, or units) are compared with their pooled proportion p: the ratio is
    Σ (xᵢ - nᵢp)² / (nᵢ p (1 - p)) divided by the number of groups minus one. Binomial intervals such as
    Wilson's assume independent events, which gives a ratio near 1; a ratio of 9 means the spread is about
    three times (√9) what those intervals expect.

    Raises:
        ValueError: fewer than two groups, a group with no trials, or a pooled proportion of 0 or 1.
    """
    hits = [_check_count(x, "successes") for x in successes]
    totals = [_check_count(n, "trials") for n in trials]
    if len(hits) != len(totals):
        raise ValueError(f"successes and trials differ in length ({len(hits)} and {len(totals)})")
    if len(hits) < 2:
        raise ValueError("need at least two groups to measure dispersion")
    if any(n == 0 for n in totals) or any(x > n for x, n in zip(hits, totals, strict=True)):
        raise ValueError("every group needs at least one trial and no more successes than trials")
    pooled = sum(hits) / sum(totals)
    if pooled in (0.0, 1.0):
        raise ValueError("the pooled proportion is 0 or 1, so there is no binomial variation to compare with")
    chi_squared = sum(
        (x - n * pooled) ** 2 / (n * pooled * (1 - pooled)) for x, n in zip(hits, totals, strict=True)
    )
    return chi_squared / (len(hits) - 1)


def overdispersed_ci(successes: int, n: int, dispersion: float, confidence: float = 0.95) -> Proportion:
    """A proportion's interval widened for over-dispersion: p ± z √(φ p(1 - p) / n), with φ at least 1.

    This is Spiegelhalter's (2005) multiplicative adjustment. φ below 1 is taken as 1, so the interval is never
    narrower than the binomial one; the limits are kept within 0 and 1.
    """
    total = _check_count(n, "n")
    hits = _check_count(successes, "successes")
    if total == 0 or hits > total:
        raise ValueError(f"need 0 <= successes <= n and n >= 1; got {hits} of {total}")
    phi = max(1.0, _check_positive(dispersion, "dispersion"))
    p = hits / total
    half_width = z_value(confidence) * math.sqrt(phi * p * (1 - p) / total)
    return Proportion(hits, total, p, max(0.0, p - half_width), min(1.0, p + half_width), confidence)


def directly_standardised_rate(
    counts: Iterable[int],
    populations: Iterable[float],
    standard_populations: Iterable[float] | Mapping[str, float],
    per: float = 100_000,
    confidence: float = 0.95,
) -> StandardisedRate | SuppressedRate:
    """A directly standardised rate (DSR) with Dobson's confidence interval, as Fingertips publishes it.

    For bands i with events O_i, population n_i and standard population w_i:
    DSR = Σ w_i O_i / n_i / Σ w_i, and var(DSR) = Σ w_i² O_i / n_i² / (Σ w_i)². Dobson's method scales the
    interval (O_lower, O_upper) of the total count O = Σ O_i: the limits are
    DSR + √(var(DSR) / O) (O_limit - O).
    The count's interval is Byar's (the exact method would apply only below 10 events, where the DSR is not
    published). When O is under 10 the result is a :class:`SuppressedRate`, with no numbers.

    Args:
        counts: events per band, in band order.
        populations: population (person-years) per band, in the same order; each must be positive.
        standard_populations: the standard population per band in the same order, for example
            ``EUROPEAN_STANDARD_POPULATION_2013`` (a mapping is read in its own order).
        per: express the rate per this many person-years.
        confidence: two-sided confidence level.
    """
    observed = [_check_count(value, f"counts[{i}]") for i, value in enumerate(counts)]
    population = [_check_positive(value, f"populations[{i}]") for i, value in enumerate(populations)]
    weights_source = (
        standard_populations.values() if isinstance(standard_populations, Mapping) else standard_populations
    )
    weights = [
        _check_non_negative(value, f"standard_populations[{i}]") for i, value in enumerate(weights_source)
    ]
    if not observed:
        raise ValueError("counts must not be empty")
    if not len(observed) == len(population) == len(weights):
        raise ValueError(
            "counts, populations and standard_populations must have one value per band each; got "
            f"{len(observed)}, {len(population)} and {len(weights)}"
        )
    total_weight = math.fsum(weights)
    if total_weight <= 0:
        raise ValueError("standard_populations must not all be zero")
    scale = _check_positive(per, "per")
    _check_confidence(confidence)

    total = sum(observed)
    if total < SMALL_COUNT:
        return SuppressedRate(
            total_count=total,
            reason=f"fewer than {SMALL_COUNT} events ({total}): a DSR is not published for so few",
            confidence=confidence,
            per=scale,
        )
    shares = [w / total_weight for w in weights]  # dividing first keeps tiny or huge weights in range
    rate = math.fsum(s * o / n for s, o, n in zip(shares, observed, population, strict=True))
    variance = math.fsum(s * s * o / (n * n) for s, o, n in zip(shares, observed, population, strict=True))
    interval = count_ci(total, confidence)
    spread = math.sqrt(variance / total)
    return StandardisedRate(
        total_count=total,
        rate=rate * scale,
        lower=(rate + spread * (interval.lower - total)) * scale,
        upper=(rate + spread * (interval.upper - total)) * scale,
        confidence=confidence,
        per=scale,
        count_interval=interval,
    )


# --- checks -------------------------------------------------------------------------------------------------


def _check_confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 < confidence < 1:
        raise ValueError(
            f"confidence must be a number between 0 and 1 (for example 0.95); got {confidence!r}"
        )
    return float(confidence)


def _check_count(value: object, name: str) -> int:
    """A whole number of events, 0 or more (a float such as 12.0 is accepted; 12.5 is not)."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number; got {value!r}") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{name} must be a whole number; got {value!r}")
    if number < 0:
        raise ValueError(f"{name} must not be negative; got {value!r}")
    return int(number)


def _check_number(value: object, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return number


def _check_positive(value: object, name: str) -> float:
    number = _check_number(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0; got {value!r}")
    return number


def _check_non_negative(value: object, name: str) -> float:
    number = _check_number(value, name)
    if number < 0:
        raise ValueError(f"{name} must not be negative; got {value!r}")
    return number


# --- the regularised incomplete gamma function and its inverse ----------------------------------------------

_EPSILON = 1e-16
_TINY = 1e-300
_MAX_TERMS = 100_000


def _regularised_gamma(shape: float, x: float) -> tuple[float, float]:
    """P(shape, x) and Q(shape, x) = 1 - P, each computed where it is accurate.

    Below x = shape + 1 the power series for P converges fast; above it the continued fraction for Q
    (Legendre's, evaluated by the modified Lentz method) does. The other tail is one minus the first.
    """
    if x <= 0:
        return 0.0, 1.0
    log_prefactor = -x + shape * math.log(x) - math.lgamma(shape)
    if x < shape + 1:
        term = 1 / shape
        total = term
        for n in range(1, _MAX_TERMS):
            term *= x / (shape + n)
            total += term
            if abs(term) < abs(total) * _EPSILON:
                break
        lower = total * math.exp(log_prefactor)
        return lower, 1 - lower
    b = x + 1 - shape
    c = 1 / _TINY
    d = 1 / b
    fraction = d
    for i in range(1, _MAX_TERMS):
        a_i = -i * (i - shape)
        b += 2
        d = a_i * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + a_i / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        step = d * c
        fraction *= step
        if abs(step - 1) < _EPSILON:
            break
    upper = math.exp(log_prefactor) * fraction
    return 1 - upper, upper


def _gamma_quantile(shape: float, probability: float, tail: Literal["lower", "upper"]) -> float:
    """The x at which the chosen tail of the gamma(shape, 1) distribution has the given probability.

    Newton's method safeguarded by bisection: the root is always kept inside a bracket where the tail
    probability changes side, and a Newton step that would leave the bracket is replaced by halving it. The
    tail probability is monotonic in x, so this always converges; Newton's steps make it fast.
    """
    index = 0 if tail == "lower" else 1
    sign = 1.0 if tail == "lower" else -1.0  # P rises with x; Q falls

    def excess(x: float) -> float:
        """Positive once x is past the root."""
        return sign * (_regularised_gamma(shape, x)[index] - probability)

    def density(x: float) -> float:
        return math.exp(-x + (shape - 1) * math.log(x) - math.lgamma(shape))

    low, high = 0.0, max(1.0, shape)
    while excess(high) < 0:
        low, high = high, high * 2
    x = (low + high) / 2
    for _ in range(500):
        value = excess(x)
        if value == 0:
            return x
        if value < 0:
            low = x
        else:
            high = x
        slope = sign * sign * density(x)  # d(excess)/dx is the density for either tail
        candidate = x - value / slope if slope > 0 else math.nan
        if not low < candidate < high:
            candidate = (low + high) / 2
        if candidate in (low, high) or abs(candidate - x) <= 4 * _EPSILON * abs(x):
            return candidate
        x = candidate
    return x


def _gamma_quantile_lower_tail(shape: float, probability: float) -> float:
    """x with P(shape, x) = probability."""
    return _gamma_quantile(shape, probability, "lower")


def _gamma_quantile_upper_tail(shape: float, probability: float) -> float:
    """x with Q(shape, x) = probability."""
    return _gamma_quantile(shape, probability, "upper")
