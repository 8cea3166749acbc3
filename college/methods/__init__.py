"""Reference implementations of NHS analysis methods, each tested against published worked examples.

- :mod:`college.methods.spc`: XmR charts and the Making Data Count special cause rules.
- :mod:`college.methods.rates`: crude and directly standardised rates, proportions and their confidence
  intervals, following the OHID Fingertips technical guidance.
- :mod:`college.methods.esp2013`: the 2013 European Standard Population.
- :mod:`college.methods.waiting_times`: referral to treatment (RTT) waiting times.
- :mod:`college.methods.ae`: the A&E four-hour standard.

Each module's docstring names its sources and says which details are the module's own reading of them.
"""

from college.methods.ae import four_hour_performance, four_hour_performance_by_type
from college.methods.esp2013 import EUROPEAN_STANDARD_POPULATION_2013, esp2013_band
from college.methods.rates import (
    byar_ci,
    count_ci,
    crude_rate,
    directly_standardised_rate,
    exact_poisson_ci,
    wilson_ci,
)
from college.methods.spc import summary, xmr_chart
from college.methods.waiting_times import incomplete_pathways_summary, percentile_from_weekly_bands

__all__ = [
    "EUROPEAN_STANDARD_POPULATION_2013",
    "byar_ci",
    "count_ci",
    "crude_rate",
    "directly_standardised_rate",
    "esp2013_band",
    "exact_poisson_ci",
    "four_hour_performance",
    "four_hour_performance_by_type",
    "incomplete_pathways_summary",
    "percentile_from_weekly_bands",
    "summary",
    "wilson_ci",
    "xmr_chart",
]
