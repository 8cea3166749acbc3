"""Rates, proportions and intervals against published worked examples and independent re-computation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from college.methods.esp2013 import (
    ESP2013_BANDS,
    ESP2013_PUBLISHED,
    EUROPEAN_STANDARD_POPULATION_2013,
    esp2013_band,
)
from college.methods.rates import (
    Z_95,
    Z_99_8,
    StandardisedRate,
    SuppressedRate,
    _regularised_gamma,
    byar_ci,
    count_ci,
    crude_rate,
    directly_standardised_rate,
    dispersion_ratio,
    exact_poisson_ci,
    overdispersed_ci,
    wilson_ci,
    z_value,
)


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), summed term by term in log space (independent of the module)."""
    return math.fsum(math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1)) for i in range(k + 1))


class TestZ:
    def test_values(self) -> None:
        # Standard normal quantiles, as printed in any table: 1.959964 (97.5 %) and 3.090232 (99.9 %).
        assert pytest.approx(1.959964, abs=5e-7) == Z_95
        assert pytest.approx(3.090232, abs=5e-7) == Z_99_8
        assert z_value(0.95) == Z_95

    @pytest.mark.parametrize("confidence", [0, 1, 95, -0.5, True, "0.95", float("nan")])
    def test_bad_confidence(self, confidence: object) -> None:
        with pytest.raises(ValueError, match="confidence must be a number between 0 and 1"):
            z_value(confidence)  # type: ignore[arg-type]


class TestExactPoisson:
    def test_statsdirect_worked_example(self) -> None:
        # StatsDirect help, "Poisson rate confidence interval": 14 events in 400 person-years, exact 95 %
        # interval 0.019135 to 0.058724 per person-year (printed to 6 decimal places).
        interval = exact_poisson_ci(14)
        assert interval.lower / 400 == pytest.approx(0.019135, abs=5e-7)
        assert interval.upper / 400 == pytest.approx(0.058724, abs=5e-7)

    def test_zero_count(self) -> None:
        # epitools (R) documentation of pois.exact: for x = 0 the exact upper limit is 3.689 (95 %); it is
        # -ln(0.025) exactly, since P(X = 0) = exp(-mean).
        interval = exact_poisson_ci(0)
        assert interval.lower == 0.0
        assert round(interval.upper, 3) == 3.689
        assert interval.upper == pytest.approx(-math.log(0.025), rel=1e-12)

    @pytest.mark.parametrize("count", [1, 2, 5, 9, 10, 14, 50, 250])
    @pytest.mark.parametrize("confidence", [0.95, 0.998])
    def test_limits_solve_the_poisson_tail_equations(self, count: int, confidence: float) -> None:
        # Independent re-computation of the definition: P(X >= O | lower) = α/2 and P(X <= O | upper) = α/2.
        alpha = 1 - confidence
        interval = exact_poisson_ci(count, confidence)
        assert 1 - poisson_cdf(count - 1, interval.lower) == pytest.approx(alpha / 2, rel=1e-9)
        assert poisson_cdf(count, interval.upper) == pytest.approx(alpha / 2, rel=1e-9)

    def test_large_count_is_fast_and_close_to_byar(self) -> None:
        exact = exact_poisson_ci(100_000, 0.998)
        byar = byar_ci(100_000, 0.998)
        assert exact.lower == pytest.approx(byar.lower, rel=1e-6)
        assert exact.upper == pytest.approx(byar.upper, rel=1e-6)

    def test_incomplete_gamma_against_the_poisson_sum(self) -> None:
        # For a whole shape k, Q(k, x) = P(Poisson(x) <= k - 1): checks both branches of the function.
        for shape in (1, 3, 10, 40):
            for x in (0.5, 2.0, 9.0, 15.0, 60.0):
                lower, upper = _regularised_gamma(shape, x)
                assert upper == pytest.approx(poisson_cdf(shape - 1, x), rel=1e-11, abs=1e-300)
                assert lower + upper == pytest.approx(1.0, abs=1e-15)


class TestByar:
    @pytest.mark.parametrize("count", [10, 11, 37, 389, 1000, 123456])
    @pytest.mark.parametrize("confidence", [0.95, 0.998])
    def test_formula(self, count: int, confidence: float) -> None:
        # Independent re-computation of the Fingertips "Rates" formulas.
        z = {0.95: 1.959963984540054, 0.998: 3.090232306167813}[confidence]
        interval = byar_ci(count, confidence)
        o = count
        assert interval.lower == pytest.approx(o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3, rel=1e-12)
        expected_upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
        assert interval.upper == pytest.approx(expected_upper, rel=1e-12)
        assert interval.method == "byar"

    def test_within_two_tenths_of_a_percent_of_exact_from_ten(self) -> None:
        # PHE Technical Guide: Confidence Intervals (2018), Appendix 1: for 95 % intervals Byar's method is
        # within 0.2 % of the exact value for numerators of 10 or more.
        for count in range(10, 1001):
            byar, exact = byar_ci(count), exact_poisson_ci(count)
            assert abs(byar.lower - exact.lower) / exact.lower < 0.002, count
            assert abs(byar.upper - exact.upper) / exact.upper < 0.002, count

    def test_refuses_zero_and_breakdown(self) -> None:
        with pytest.raises(ValueError, match="at least 1"):
            byar_ci(0)
        with pytest.raises(ValueError, match="breaks down"):
            byar_ci(1, 0.998)


class TestCountChoice:
    def test_fingertips_threshold(self) -> None:
        assert count_ci(9).method == "exact"
        assert count_ci(10).method == "byar"

    @pytest.mark.parametrize("count", [-1, 2.5, float("nan"), "ten", True, None])
    def test_bad_counts(self, count: object) -> None:
        with pytest.raises(ValueError, match="count"):
            count_ci(count)  # type: ignore[arg-type]

    def test_whole_float_is_accepted(self) -> None:
        assert count_ci(12.0).count == 12  # type: ignore[arg-type]


class TestCrudeRate:
    def test_statsdirect_example_as_a_rate(self) -> None:
        # StatsDirect: 14 events in 400 person-years → 0.035 per person-year (0.019135 to 0.058724);
        # per 1,000 that is 35 (19.135 to 58.724). Under 10 events would be exact too; 14 uses Byar here.
        rate = crude_rate(14, 400, per=1_000)
        assert rate.rate == pytest.approx(35.0)
        assert rate.method == "byar"
        assert rate.lower == pytest.approx(19.135, rel=2e-3)  # Byar within 0.2 % of exact (PHE guide)
        assert rate.upper == pytest.approx(58.724, rel=2e-3)

    def test_small_count_uses_exact(self) -> None:
        rate = crude_rate(5, 20_000)
        exact = exact_poisson_ci(5)
        assert rate.method == "exact"
        assert rate.lower == pytest.approx(exact.lower / 20_000 * 100_000, rel=1e-12)
        assert rate.upper == pytest.approx(exact.upper / 20_000 * 100_000, rel=1e-12)

    @pytest.mark.parametrize("person_years", [0, -5, float("inf"), "many"])
    def test_bad_denominator(self, person_years: object) -> None:
        with pytest.raises(ValueError, match="person_years"):
            crude_rate(5, person_years)  # type: ignore[arg-type]


class TestWilson:
    @pytest.mark.parametrize(
        ("successes", "n", "lower", "upper"),
        [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0000, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ],
    )
    def test_newcombe_1998_examples(self, successes: int, n: int, lower: float, upper: float) -> None:
        # Newcombe (1998), Statistics in Medicine 17:857-872: the paper's four worked examples, method 3
        # (score interval without continuity correction), printed to 4 decimal places.
        interval = wilson_ci(successes, n)
        assert (round(interval.lower, 4), round(interval.upper, 4)) == (lower, upper)

    def test_formula(self) -> None:
        # Independent re-computation for 81/263 at 99.8 %.
        z = 3.090232306167813
        n, p = 263, 81 / 263
        centre = (2 * n * p + z * z) / (2 * (n + z * z))
        half = z * math.sqrt(z * z + 4 * n * p * (1 - p)) / (2 * (n + z * z))
        interval = wilson_ci(81, 263, 0.998)
        assert interval.lower == pytest.approx(centre - half, rel=1e-12)
        assert interval.upper == pytest.approx(centre + half, rel=1e-12)

    def test_all_successes(self) -> None:
        assert wilson_ci(20, 20).upper == 1.0

    @pytest.mark.parametrize(("successes", "n", "message"), [(3, 0, "at least 1"), (5, 4, "must not exceed")])
    def test_bad_input(self, successes: int, n: int, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            wilson_ci(successes, n)


# Fleiss (1981), Statistical Methods for Rates and Proportions, Table 14.4 (Stark and Mantel 1966): Down's
# syndrome cases and live births to mothers at birth order 5 or more, by maternal age, Michigan 1950-1964; the
# standard population is all live births in each age group. Fay and Feuer (1997), Statistics in Medicine
# 16:791-801, Table II, and the dsrTest vignette (CRAN, 2022) give the DSR as 75.52901 per 100,000.
FLEISS_CASES = [0, 8, 63, 112, 262, 295]
FLEISS_BIRTHS = [327, 30666, 123419, 149919, 104088, 34392]
FLEISS_STANDARD = [319933, 931318, 786511, 488235, 237863, 61313]


class TestDirectlyStandardisedRate:
    def test_fleiss_table_14_4(self) -> None:
        result = directly_standardised_rate(FLEISS_CASES, FLEISS_BIRTHS, FLEISS_STANDARD)
        assert isinstance(result, StandardisedRate)
        assert result.rate == pytest.approx(75.52901, abs=5e-6)  # printed to 5 decimal places
        assert result.total_count == 740

    def test_dobson_formula(self) -> None:
        # Independent re-computation of Dobson's limits with Byar's interval for the total count (740).
        result = directly_standardised_rate(FLEISS_CASES, FLEISS_BIRTHS, FLEISS_STANDARD, confidence=0.998)
        assert isinstance(result, StandardisedRate)
        total_w = sum(FLEISS_STANDARD)
        dsr = (
            sum(w * o / n for w, o, n in zip(FLEISS_STANDARD, FLEISS_CASES, FLEISS_BIRTHS, strict=True))
            / total_w
        )
        var = (
            sum(w**2 * o / n**2 for w, o, n in zip(FLEISS_STANDARD, FLEISS_CASES, FLEISS_BIRTHS, strict=True))
            / total_w**2
        )
        z, o = 3.090232306167813, 740
        o_lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
        o_upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
        assert result.lower == pytest.approx((dsr + math.sqrt(var / o) * (o_lower - o)) * 1e5, rel=1e-12)
        assert result.upper == pytest.approx((dsr + math.sqrt(var / o) * (o_upper - o)) * 1e5, rel=1e-12)

    def test_proportional_standard_gives_the_crude_rate_interval(self) -> None:
        # Dobson et al. (1991), also Fay and Feuer (1997): when the standard population is proportional to
        # the study population, the method reproduces the interval of the crude rate exactly.
        counts, populations = [5, 12, 30, 41], [20_000.0, 15_000.0, 9_000.0, 4_000.0]
        dsr = directly_standardised_rate(counts, populations, [p * 3 for p in populations])
        crude = crude_rate(sum(counts), sum(populations))
        assert isinstance(dsr, StandardisedRate)
        assert dsr.rate == pytest.approx(crude.rate, rel=1e-12)
        assert dsr.lower == pytest.approx(crude.lower, rel=1e-12)
        assert dsr.upper == pytest.approx(crude.upper, rel=1e-12)

    def test_european_standard_population(self) -> None:
        counts = [1, 0, 0, 1, 2, 2, 3, 4, 6, 9, 14, 20, 31, 45, 60, 80, 95, 90, 70]
        populations = [5200.0 - 100 * i for i in range(19)]
        result = directly_standardised_rate(counts, populations, EUROPEAN_STANDARD_POPULATION_2013)
        assert isinstance(result, StandardisedRate)
        expected = sum(
            w * o / n
            for w, o, n in zip(EUROPEAN_STANDARD_POPULATION_2013.values(), counts, populations, strict=True)
        )
        assert result.rate == pytest.approx(expected, rel=1e-12)  # the weights sum to 100,000
        assert result.lower < result.rate < result.upper

    def test_suppressed_below_ten(self) -> None:
        result = directly_standardised_rate([3, 4, 2], [1000, 1000, 1000], [1, 1, 1])
        assert isinstance(result, SuppressedRate)
        assert result.suppressed and result.total_count == 9
        assert not hasattr(result, "rate")
        assert "fewer than 10" in result.reason

    @pytest.mark.parametrize(
        ("counts", "populations", "standard", "message"),
        [
            ([], [], [], "must not be empty"),
            ([10, 5], [100.0], [1.0, 1.0], "one value per band"),
            ([10, 5], [100.0, 0.0], [1.0, 1.0], r"populations\[1\] must be greater than 0"),
            ([10, -5], [100.0, 10.0], [1.0, 1.0], r"counts\[1\] must not be negative"),
            ([10, 5], [100.0, 10.0], [0.0, 0.0], "must not all be zero"),
            ([10, 5], [100.0, 10.0], [1.0, -1.0], r"standard_populations\[1\]"),
        ],
    )
    def test_bad_input(
        self, counts: list[int], populations: list[float], standard: list[float], message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            directly_standardised_rate(counts, populations, standard)


class TestESP2013:
    def test_weights(self) -> None:
        # Eurostat (2013), Revision of the European Standard Population, in Fingertips' 19-band form.
        assert list(EUROPEAN_STANDARD_POPULATION_2013) == [*(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+"]
        assert list(EUROPEAN_STANDARD_POPULATION_2013.values()) == [
            5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
            7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
        ]  # fmt: skip
        assert sum(EUROPEAN_STANDARD_POPULATION_2013.values()) == 100_000
        assert len(ESP2013_BANDS) == 19

    def test_the_published_form_has_finer_end_bands_that_add_up_to_the_19_bands(self) -> None:
        # Eurostat publishes under 1 and 1-4, and 90-94 and 95+, where Fingertips shows 0-4 and 90+.
        assert len(ESP2013_PUBLISHED) == 21
        assert sum(ESP2013_PUBLISHED.values()) == 100_000
        assert ESP2013_PUBLISHED["0"] + ESP2013_PUBLISHED["1-4"] == EUROPEAN_STANDARD_POPULATION_2013["0-4"]
        assert (
            ESP2013_PUBLISHED["90-94"] + ESP2013_PUBLISHED["95+"] == EUROPEAN_STANDARD_POPULATION_2013["90+"]
        )
        middle = {band: weight for band, weight in ESP2013_PUBLISHED.items() if band in ESP2013_BANDS}
        assert middle == {
            b: w for b, w in EUROPEAN_STANDARD_POPULATION_2013.items() if b not in ("0-4", "90+")
        }

    def test_read_only(self) -> None:
        with pytest.raises(TypeError):
            EUROPEAN_STANDARD_POPULATION_2013["0-4"] = 1  # type: ignore[index]

    @pytest.mark.parametrize(
        ("age", "band"), [(0, "0-4"), (4, "0-4"), (5, "5-9"), (37, "35-39"), (89, "85-89")]
    )
    def test_band(self, age: int, band: str) -> None:
        assert esp2013_band(age) == band

    def test_open_band(self) -> None:
        assert esp2013_band(90) == esp2013_band(107) == "90+"

    @pytest.mark.parametrize("age", [-1, 3.5, True])
    def test_bad_age(self, age: object) -> None:
        with pytest.raises(ValueError, match="age"):
            esp2013_band(age)  # type: ignore[arg-type]


counts = st.integers(min_value=0, max_value=50_000)
confidence_pairs = st.just((0.95, 0.998))


@settings(max_examples=200, deadline=None)
@given(counts)
def test_count_intervals_contain_the_count_and_widen_with_confidence(count: int) -> None:
    narrow, wide = count_ci(count, 0.95), count_ci(count, 0.998)
    assert 0 <= narrow.lower <= count <= narrow.upper
    assert wide.lower <= narrow.lower and narrow.upper < wide.upper


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))
)
def test_wilson_properties(pair: tuple[int, int]) -> None:
    successes, n = pair
    narrow, wide = wilson_ci(successes, n, 0.95), wilson_ci(successes, n, 0.998)
    assert 0 <= narrow.lower <= narrow.proportion <= narrow.upper <= 1
    assert wide.lower <= narrow.lower and narrow.upper <= wide.upper
    assert wide.upper - wide.lower > narrow.upper - narrow.lower


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.floats(100, 1e6), st.floats(0, 1e4)),
        min_size=1,
        max_size=19,
    )
)
def test_dsr_properties(bands: list[tuple[int, float, float]]) -> None:
    counts = [b[0] for b in bands]
    populations = [b[1] for b in bands]
    standard = [b[2] for b in bands]
    if sum(standard) == 0:
        return
    narrow = directly_standardised_rate(counts, populations, standard, confidence=0.95)
    wide = directly_standardised_rate(counts, populations, standard, confidence=0.998)
    if sum(counts) < 10:
        assert isinstance(narrow, SuppressedRate) and isinstance(wide, SuppressedRate)
        return
    assert isinstance(narrow, StandardisedRate) and isinstance(wide, StandardisedRate)
    tolerance = 1e-9 * max(1.0, narrow.rate)
    assert narrow.lower <= narrow.rate + tolerance and narrow.rate <= narrow.upper + tolerance
    assert wide.lower <= narrow.lower + tolerance and narrow.upper <= wide.upper + tolerance


class TestOverdispersion:
    """Spiegelhalter (2005): the Pearson ratio measures extra-binomial spread; limits widen by its square root."""

    def test_binomial_spread_gives_a_ratio_near_1_and_hand_worked_value(self) -> None:
        # Pooled p = 150/300 = 0.5; residuals (40-50)²/25 + (50-50)²/25 + (60-50)²/25 = 8; 8 / 2 = 4.
        assert dispersion_ratio([40, 50, 60], [100, 100, 100]) == pytest.approx(4.0)
        assert dispersion_ratio([50, 50, 50], [100, 100, 100]) == 0.0

    def test_wider_by_the_square_root_of_the_ratio(self) -> None:
        plain = overdispersed_ci(690, 1000, dispersion=1.0)
        wide = overdispersed_ci(690, 1000, dispersion=9.0)
        assert (wide.upper - wide.lower) == pytest.approx(3 * (plain.upper - plain.lower))
        assert plain.proportion == wide.proportion == pytest.approx(0.69)

    def test_never_narrower_than_binomial(self) -> None:
        assert overdispersed_ci(690, 1000, dispersion=0.5) == overdispersed_ci(690, 1000, dispersion=1.0)

    @pytest.mark.parametrize(
        ("successes", "trials", "message"),
        [([1], [10], "at least two"), ([0, 0], [10, 10], "0 or 1"), ([5, 11], [10, 10], "no more successes")],
    )
    def test_bad_input(self, successes: list[int], trials: list[int], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            dispersion_ratio(successes, trials)
