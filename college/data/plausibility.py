"""Headline figures the synthetic data must reproduce, with the ranges they must fall in.

The ranges are the project's targets, set around where England's published figures sat in 2022 to 2024 (the
basis of each is named). They are checked by the tests on the small scale and printed on the "How the data were
made" page. They keep the teaching data believable; they are not statistics about the real NHS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from college.data.dictionary import load_dictionary

if TYPE_CHECKING:  # pandas only in annotations: the site's pages list these ranges without loading pandas
    import pandas as pd

Tables: TypeAlias = "Mapping[str, pd.DataFrame]"

WARD = 306706006
FOUR_HOURS_MINUTES = 240


@dataclass(frozen=True)
class PlausibilityRange:
    """A headline figure, how to compute it from the data, and the range it must fall in."""

    name: str
    description: str
    minimum: float
    maximum: float
    unit: str
    basis: str
    """What the range is modelled on."""
    source_url: str | None
    measure: Callable[[Tables], float]


def clean_attendances(tables: Tables) -> pd.DataFrame:
    """Attendances without the deliberately bad records (those listed in the answer key)."""
    attendances = tables["ae_attendances"]
    bad = tables["ae_attendances_quality"]["attendance_id"]
    return attendances[~attendances["attendance_id"].isin(bad)]


def _within_four_hours(attendances: pd.DataFrame) -> pd.Series:
    minutes = (attendances["departure_datetime"] - attendances["arrival_datetime"]).dt.total_seconds() / 60
    return minutes <= FOUR_HOURS_MINUTES


def _four_hour_pct(tables: Tables, type_1_only: bool) -> float:
    attendances = clean_attendances(tables)
    if type_1_only:
        attendances = attendances[attendances["department_type"] == 1]
    return 100 * float(_within_four_hours(attendances).mean())


def _incomplete(tables: Tables) -> pd.DataFrame:
    pathways = tables["rtt_pathways"]
    return pathways[pathways["pathway_status"] == "incomplete"]


def _emergency(tables: Tables) -> pd.Series:
    return tables["admissions"]["admission_method"].str.startswith("2")


def _attendances_per_1000(tables: Tables) -> float:
    return 1000 * len(clean_attendances(tables)) / len(tables["patients"])


def _type_1_admitted_pct(tables: Tables) -> float:
    type_1 = clean_attendances(tables)
    type_1 = type_1[type_1["department_type"] == 1]
    return 100 * float((type_1["discharge_destination"] == WARD).mean())


def _emergency_through_ae_pct(tables: Tables) -> float:
    methods = tables["admissions"]["admission_method"]
    return 100 * float((methods == "21").sum() / _emergency(tables).sum())


def _mean_stay(tables: Tables, emergency: bool | None = None) -> float:
    stays = tables["admissions"]["length_of_stay"]
    if emergency is not None:
        stays = stays[_emergency(tables) == emergency]
    return float(stays.mean())


def _crude_death_rate(tables: Tables) -> float:
    deaths = tables["deaths"]
    return 1000 * float(deaths["deaths"].sum() / deaths["population"].sum())


def _bad_record_pct(tables: Tables) -> float:
    return 100 * len(tables["ae_attendances_quality"]) / len(tables["ae_attendances"])


RANGES: tuple[PlausibilityRange, ...] = (
    PlausibilityRange(
        "type_1_four_hour_pct", "Type 1 attendances admitted, transferred or discharged within four hours",
        55, 65, "per cent",
        "NHS England A&E attendances and emergency admissions statistics, type 1 departments, 2022-2024",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
        lambda tables: _four_hour_pct(tables, type_1_only=True),
    ),
    PlausibilityRange(
        "all_types_four_hour_pct", "Attendances of all types within four hours", 70, 78, "per cent",
        "NHS England A&E attendances and emergency admissions statistics, all department types, 2022-2024",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
        lambda tables: _four_hour_pct(tables, type_1_only=False),
    ),
    PlausibilityRange(
        "attendances_per_1000", "Emergency care attendances per 1,000 patients in a year", 380, 520, "attendances",
        "About 25 million attendances a year in England for about 56 million people",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
        _attendances_per_1000,
    ),
    PlausibilityRange(
        "type_1_admitted_pct", "Type 1 attendances ending in admission to a ward", 20, 32, "per cent",
        "NHS England A&E statistics: emergency admissions through type 1 departments per type 1 attendance",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
        _type_1_admitted_pct,
    ),
    PlausibilityRange(
        "emergency_through_ae_pct", "Emergency admissions made through the provider's own emergency department "
        "(admission method 21)", 60, 80, "per cent",
        "NHS England A&E statistics: emergency admissions through A&E against all emergency admissions",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/ae-waiting-times-and-activity/",
        _emergency_through_ae_pct,
    ),
    PlausibilityRange(
        "mean_length_of_stay", "Mean length of stay of all spells, day cases counting as 0 days", 3.5, 5.0, "days",
        "Hospital Episode Statistics for admitted patient care, England",
        "https://digital.nhs.uk/data-and-information/publications/statistical/hospital-admitted-patient-care-activity",
        _mean_stay,
    ),
    PlausibilityRange(
        "emergency_minus_elective_stay", "Mean length of stay of emergency spells minus that of elective spells",
        2.0, 10.0, "days",
        "Emergency admissions stay longer than elective ones, most of which are day cases",
        "https://digital.nhs.uk/data-and-information/publications/statistical/hospital-admitted-patient-care-activity",
        lambda tables: _mean_stay(tables, emergency=True) - _mean_stay(tables, emergency=False),
    ),
    PlausibilityRange(
        "rtt_median_weeks", "Median wait on incomplete referral to treatment pathways at the census date",
        12, 16, "weeks",
        "NHS England referral to treatment statistics, 2023: medians of about 13 to 15 weeks",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/rtt-waiting-times/",
        lambda tables: float(_incomplete(tables)["days_waited"].median()) / 7,
    ),
    PlausibilityRange(
        "rtt_within_18_weeks_pct", "Incomplete pathways waiting up to 18 weeks (126 days) at the census date",
        55, 70, "per cent",
        "NHS England referral to treatment statistics, 2023: about 57 to 60%, far from the 92% standard",
        "https://www.england.nhs.uk/statistics/statistical-work-areas/rtt-waiting-times/",
        lambda tables: 100 * float((_incomplete(tables)["days_waited"] <= 126).mean()),
    ),
    PlausibilityRange(
        "crude_death_rate", "Crude death rate", 9, 11, "deaths per 1,000 people",
        "Office for National Statistics, deaths registered in England and Wales, early 2020s",
        "https://www.ons.gov.uk/peoplepopulationandcommunity/birthsdeathsandmarriages/deaths",
        _crude_death_rate,
    ),
    PlausibilityRange(
        "bad_record_pct", "Deliberately bad emergency care records", 1, 2, "per cent",
        "Set by the project: enough to find, few enough to be realistic",
        None,
        _bad_record_pct,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class PlausibilityResult:
    """A measured headline figure against its range."""

    check: PlausibilityRange
    value: float

    @property
    def passed(self) -> bool:
        return self.check.minimum <= self.value <= self.check.maximum

    def __str__(self) -> str:
        verdict = "ok" if self.passed else "OUT OF RANGE"
        check = self.check
        return (
            f"{check.name}: {self.value:.2f} {check.unit} (range {check.minimum}-{check.maximum}) {verdict}"
        )


def read_tables(directory: Path) -> dict[str, pd.DataFrame]:
    """Every published table and answer key of a data directory (CSV), read with the dictionary's types."""
    from college.data.writer import read_csv_typed  # here, not at the top: it loads NumPy and pandas

    dictionary = load_dictionary()
    tables = {spec.name: read_csv_typed(directory / f"{spec.name}.csv", spec) for spec in dictionary.datasets}
    for spec in dictionary.truth_files:
        tables[spec.name] = read_csv_typed(directory / "truth" / f"{spec.name}.csv", spec)
    return tables


def measure(tables: Tables) -> list[PlausibilityResult]:
    """Every headline figure of the data."""
    return [PlausibilityResult(check, check.measure(tables)) for check in RANGES]
