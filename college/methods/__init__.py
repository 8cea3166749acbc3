"""Reference implementations of NHS analysis methods, each tested against published worked examples.

- :mod:`college.methods.spc`: XmR charts and the Making Data Count special cause rules.
- :mod:`college.methods.rates`: crude and directly standardised rates, proportions and their confidence
  intervals, following the OHID Fingertips technical guidance.
- :mod:`college.methods.esp2013`: the 2013 European Standard Population.
- :mod:`college.methods.waiting_times`: referral to treatment (RTT) waiting times.
- :mod:`college.methods.ae`: the A&E four-hour standard.
- :mod:`college.methods.readmissions`: emergency readmissions within 30 days of discharge.

Each module's docstring names its sources and says which details are the module's own reading of them. The
names below (``__all__``) are the public API: their signatures change only with a new major version (see
``CHANGELOG.md``); other public names of the modules are documented too, but may change in a minor version.
"""

from college.methods.ae import FourHourPerformance, four_hour_performance, four_hour_performance_by_type
from college.methods.esp2013 import EUROPEAN_STANDARD_POPULATION_2013, esp2013_band
from college.methods.rates import (
    CountInterval,
    Proportion,
    Rate,
    StandardisedRate,
    SuppressedRate,
    byar_ci,
    count_ci,
    crude_rate,
    directly_standardised_rate,
    dispersion_ratio,
    exact_poisson_ci,
    overdispersed_ci,
    wilson_ci,
)
from college.methods.readmissions import readmissions_by_provider, readmitted_within_30_days
from college.methods.spc import VariationSummary, summary, xmr_chart
from college.methods.waiting_times import (
    WaitingListSummary,
    incomplete_pathways_summary,
    percentile_from_weekly_bands,
)

__all__ = [
    "EUROPEAN_STANDARD_POPULATION_2013",
    "CountInterval",
    "FourHourPerformance",
    "Proportion",
    "Rate",
    "StandardisedRate",
    "SuppressedRate",
    "VariationSummary",
    "WaitingListSummary",
    "byar_ci",
    "count_ci",
    "crude_rate",
    "directly_standardised_rate",
    "dispersion_ratio",
    "esp2013_band",
    "exact_poisson_ci",
    "four_hour_performance",
    "four_hour_performance_by_type",
    "incomplete_pathways_summary",
    "overdispersed_ci",
    "percentile_from_weekly_bands",
    "readmissions_by_provider",
    "readmitted_within_30_days",
    "summary",
    "wilson_ci",
    "xmr_chart",
]
