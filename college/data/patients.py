"""Synthetic patients: the registered population expanded to one row per person, in a random order.

The order is a random permutation of everybody in the population table, so the first n patients are a simple
random sample of it; the small scale takes the first 2%. Everything drawn for a patient comes from the random
stream of the patient's block, so a patient is the same person at every scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from college.data import reference as ref
from college.data.nhs_numbers import synthetic_nhs_numbers
from college.data.population import Geography, PopulationCells, area_codes, practice_codes
from college.data.scales import BLOCK_SIZE, ScaleSpec
from college.data.streams import stream
from college.data.text import fixed_width, labels

IntArray = npt.NDArray[np.int64]
SmallInts = npt.NDArray[np.signedinteger[Any]]
"""Whole numbers of any width (the patient arrays use the smallest type that fits)."""

OLDEST_AGE = 104


@dataclass(frozen=True)
class Patients:
    """Every sampled patient, as parallel arrays in patient order."""

    nhs_number: IntArray
    sex: SmallInts
    """0 female, 1 male."""
    birth_month: SmallInts
    """Month of birth, counted in months since January 1970 (negative before 1970)."""
    practice: SmallInts
    area: SmallInts
    deprivation_decile: SmallInts
    acute_provider: SmallInts
    """Index of the acute trust whose catchment the patient lives in."""

    def __len__(self) -> int:
        return len(self.nhs_number)

    def block(self, number: int) -> Patients:
        """The patients of one block."""
        window = slice(number * BLOCK_SIZE, (number + 1) * BLOCK_SIZE)
        return Patients(*(getattr(self, name)[window] for name in self.__dataclass_fields__))

    def birth_day(self, index: IntArray) -> IntArray:
        """First day of each patient's birth month, in days since the start of 2023 (negative before 2023)."""
        first = self.birth_month[index].astype("datetime64[M]").astype("datetime64[D]")
        return (first - ref.START).astype(np.int64)

    def age_at(self, month: IntArray | int, index: IntArray | None = None) -> IntArray:
        """Age in completed years at a month (months since January 1970), birthday on the 1st of the birth month."""
        born = self.birth_month if index is None else self.birth_month[index]
        return (np.asarray(month, dtype=np.int64) - born) // 12


def age_band_index(age: IntArray) -> IntArray:
    """Index into ``AGE_BANDS`` of each age."""
    age = np.asarray(age)
    if len(age) and age.min() < 0:
        raise ValueError("an event falls before the patient's birth")
    return np.minimum(age // 5, len(ref.AGE_BANDS) - 1)


def not_before_birth(day: IntArray, birth_day: IntArray) -> IntArray:
    """Days of 2023 moved, where they fall before the patient's birth month, to a day between then and the end of
    the year (only babies born during 2023 are affected)."""
    early = day < birth_day
    if not early.any():
        return day
    moved = day.copy()
    room = np.maximum(ref.DAYS_IN_YEAR - birth_day[early], 1)
    moved[early] = birth_day[early] + day[early] % room
    return moved


def _ages_within_bands(rng: np.random.Generator, bands: IntArray) -> IntArray:
    """Single years of age inside each band; over 90 the chance of each further year falls by a fifth."""
    age = bands * 5 + rng.integers(0, 5, size=len(bands))
    oldest = bands == len(ref.AGE_BANDS) - 1
    extra = np.minimum(rng.geometric(0.2, size=int(oldest.sum())) - 1, OLDEST_AGE - 90)
    age[oldest] = 90 + extra
    return age


def build_patients(spec: ScaleSpec, seed: int, cells: PopulationCells, geography: Geography) -> Patients:
    """The first ``spec.patients`` people of a random ordering of the registered population."""
    person_cell = np.repeat(np.arange(len(cells.count)), cells.count)
    order = stream(seed, "patient-order").permutation(len(person_cell))[: spec.patients]
    cell = person_cell[order]
    months_alive = np.empty(spec.patients, dtype=np.int64)
    for number in range(spec.blocks):
        rng = stream(seed, "patients", number)
        window = slice(number * BLOCK_SIZE, min((number + 1) * BLOCK_SIZE, spec.patients))
        bands = cells.age_band[cell[window]]
        months_alive[window] = _ages_within_bands(rng, bands) * 12 + rng.integers(0, 12, size=len(bands))
    area = cells.area[cell].astype(np.int32)
    # Small integer types: at the large scale these arrays hold nine million patients each.
    return Patients(
        nhs_number=synthetic_nhs_numbers(seed, spec.patients),
        sex=cells.sex[cell].astype(np.int8),
        birth_month=(ref.REFERENCE_MONTH - months_alive).astype(np.int32),
        practice=cells.practice[cell].astype(np.int32),
        area=area,
        deprivation_decile=geography.deprivation_decile[area].astype(np.int8),
        acute_provider=geography.acute_provider[area].astype(np.int8),
    )


def _year_months(months: IntArray) -> pd.Series:
    """Months (since January 1970) as YYYY-MM text."""
    first, last = int(months.min(initial=0)), int(months.max(initial=0))
    vocabulary = np.datetime_as_string(np.arange(first, last + 1).astype("datetime64[M]"), unit="M")
    return labels(vocabulary.tolist(), months - first)


def patients_table(patients: Patients) -> pd.DataFrame:
    """The patients data set."""
    age = patients.age_at(ref.REFERENCE_MONTH)
    return pd.DataFrame(
        {
            "nhs_number": fixed_width(patients.nhs_number, 10),
            "sex": labels(ref.SEXES, patients.sex),
            "birth_year_month": _year_months(patients.birth_month),
            "age": age,
            "age_band": labels(ref.AGE_BANDS, age_band_index(age)),
            "practice_code": practice_codes(patients.practice),
            "area_code": area_codes(patients.area),
            "deprivation_decile": patients.deprivation_decile,
        }
    )
