"""Fixed inputs of the generator: age bands, the standard population, the synthetic providers and the rates that
shape each data set.

The rates are round figures chosen so that the headline measures land in the ranges written down in
:mod:`college.data.plausibility`, which the tests check. They are assumptions for teaching data, loosely
modelled on published figures for England, not estimates of anything real.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

AGE_BANDS: tuple[str, ...] = (
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
)  # fmt: skip
"""The 19 age bands of the 2013 European Standard Population in Fingertips' form (0-4 ... 85-89, 90+)."""

EUROPEAN_STANDARD_POPULATION_2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip
"""Weights of the 2013 European Standard Population by age band (sum 100,000). Source: Eurostat (2013),
*Revision of the European Standard Population*, https://ec.europa.eu/eurostat/web/products-manuals-and-guidelines/-/KS-RA-13-028"""

SEXES: tuple[str, ...] = ("Female", "Male")

# --- Dates -----------------------------------------------------------------------------------------------------

YEAR = 2023
"""The calendar year of the record-level activity and of the deaths."""
START = np.datetime64("2023-01-01")
DAYS_IN_YEAR = 365
REFERENCE_DATE = dt.date(2023, 7, 1)
"""Population and patients' ages are as at this date (the middle of the year, as in mid-year estimates)."""
REFERENCE_MONTH = int(np.datetime64(REFERENCE_DATE, "M").astype(np.int64))
"""The reference date's month, counted from January 1970: the form patients' birth months are kept in."""
CENSUS_DATE = dt.date(2023, 12, 31)
"""The referral to treatment census date (the last day of the reporting month)."""
MONTHLY_START = np.datetime64("2020-01", "M")
MONTHS = 48
BASELINE_MONTHS = 24
"""The monthly series are stable for this many months before any injected event."""

# --- Population --------------------------------------------------------------------------------------------------

AGE_SHARE = np.array([
    5.4, 5.9, 6.0, 5.6, 6.0, 6.6, 6.9, 6.7, 6.3, 6.3, 6.9, 6.7, 5.8, 4.9, 4.9, 3.6, 2.4, 1.5, 0.9,
])  # fmt: skip
"""Share of the population in each age band (per cent, roughly England's in the 2021 Census)."""

MALE_SHARE = np.array([
    0.512, 0.512, 0.512, 0.514, 0.510, 0.500, 0.495, 0.495, 0.497, 0.496,
    0.494, 0.492, 0.488, 0.482, 0.475, 0.463, 0.440, 0.400, 0.320,
])  # fmt: skip
"""Share of males in each age band."""

DEPRIVATION_AGE_TILT = 0.25
"""How much younger the most deprived areas are: age band weights are multiplied by
exp(tilt × deprivation score × (40 − band midpoint) / 40), with the score running from 1 (decile 1) to −1 (decile 10)."""

HOME_PRACTICE_SHARE = (0.6, 0.9)
"""Range of the share of an area's residents registered with its nearest practice (the rest with a neighbour)."""

ACUTE_TRUSTS = 3
"""SYN01 to SYN03, the acute trusts (providers 0, 1 and 2)."""
ACUTE_CATCHMENT_BOUNDS = (0.40, 0.72)
"""Areas are laid out along a line; the first 40% look to SYN01, the next 32% to SYN02, the rest to SYN03."""

# --- Providers ---------------------------------------------------------------------------------------------------

PROVIDERS: tuple[str, ...] = ("SYN01", "SYN02", "SYN03", "SYN04", "SYN05")
COMMUNITY = 3
EYE_HOSPITAL = 4

# --- Mortality ---------------------------------------------------------------------------------------------------

DEATH_RATE_PER_1000 = np.array([
    0.85, 0.08, 0.10, 0.25, 0.35, 0.45, 0.60, 0.90, 1.30, 2.00,
    3.10, 4.70, 7.60, 12.5, 20.0, 34.0, 60.0, 112.0, 250.0,
])  # fmt: skip
"""Annual deaths per 1,000 people by age band, both sexes (round figures of the order of England's in the early
2020s; they give a crude death rate near 10 per 1,000 with this age structure)."""

DEATH_RATE_SEX_FACTOR = np.array([0.88, 1.15])
"""Multipliers of the death rate for females and males."""


def deprivation_factor(decile: np.ndarray, most: float, least: float) -> np.ndarray:
    """A multiplier running linearly from ``most`` (decile 1, most deprived) to ``least`` (decile 10)."""
    return most + (least - most) * (np.asarray(decile, dtype=np.float64) - 1.0) / 9.0


def age_group(band: np.ndarray) -> np.ndarray:
    """Broad age group from an age band index: 0 under 18 (bands 0-3), 1 18-44, 2 45-64, 3 65-79, 4 80+.

    Band 15-19 counts as under 18: close enough for choosing a case mix.
    """
    edges = np.array([4, 9, 13, 16])
    return np.searchsorted(edges, band, side="right")


# --- Calendar shapes ---------------------------------------------------------------------------------------------


def day_weights(winter_uplift: float, weekday_profile: tuple[float, ...]) -> np.ndarray:
    """Relative weight of each day of 2023: a seasonal curve peaking in mid-winter times a day-of-week profile.

    ``weekday_profile`` gives Monday to Sunday weights.
    """
    days = np.arange(DAYS_IN_YEAR)
    seasonal = 1.0 + winter_uplift * np.cos(2 * np.pi * (days - 15) / DAYS_IN_YEAR)
    weekday = np.asarray(weekday_profile)[(days + START.astype(object).weekday()) % 7]
    weights = seasonal * weekday
    return weights / weights.sum()


ARRIVAL_HOUR_WEIGHTS = np.array([
    2.2, 1.8, 1.5, 1.3, 1.2, 1.3, 1.8, 3.0, 4.8, 6.2, 6.6, 6.5,
    6.2, 6.0, 5.8, 5.7, 5.6, 5.6, 5.5, 5.2, 4.8, 4.2, 3.4, 2.8,
])  # fmt: skip
"""Relative number of emergency care arrivals in each hour of the day (a late-morning peak)."""
ARRIVAL_HOUR_WEIGHTS = ARRIVAL_HOUR_WEIGHTS / ARRIVAL_HOUR_WEIGHTS.sum()


def other_acute_trust(rng: np.random.Generator, catchment: npt.NDArray[np.integer]) -> npt.NDArray[np.int64]:
    """For each patient, one of the acute trusts other than their catchment's, each equally likely."""
    return (catchment + rng.integers(1, ACUTE_TRUSTS, size=len(catchment))) % ACUTE_TRUSTS
