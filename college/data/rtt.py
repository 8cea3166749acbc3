"""Referral to treatment (RTT) pathways, generated one block of patients at a time.

Two kinds of pathway: those still open at the census date (incomplete: the waiting list), and those whose clock
stopped during 2023 (completed, with or without admission for treatment). Waits are drawn from log-normal
distributions tuned to England's waiting list in 2023: a median wait on incomplete pathways of about 14 weeks and
a long tail, with waits beyond 78 weeks folded back into 52 to 78 weeks (very long waits were almost eliminated
by then). No clock pauses: patient-initiated pauses were abolished from 1 October 2015 (see the dictionary).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from college.data import reference as ref
from college.data.patients import Patients, age_band_index, not_before_birth
from college.data.sampling import categorical

IntArray = npt.NDArray[np.int64]

CENSUS_DAY = int((np.datetime64(ref.CENSUS_DATE) - ref.START).astype(np.int64))
"""The census date in days since the start of 2023."""
STATUSES = ("incomplete", "completed_admitted", "completed_non_admitted")
RATES = np.array([
    [0.05, 0.09, 0.15, 0.21, 0.18],  # incomplete at the census date
    [0.02, 0.03, 0.06, 0.09, 0.07],  # completed in 2023, admitted
    [0.10, 0.16, 0.25, 0.32, 0.28],  # completed in 2023, not admitted
])  # fmt: skip
"""Pathways per person by status and age group (under 18, 18-44, 45-64, 65-79, 80+)."""
MEDIAN_WAIT_DAYS = np.array([98.0, 100.0, 60.0])
SIGMA = np.array([0.85, 0.75, 0.9])
LONGEST_WAIT_DAYS = 78 * 7
FOLD_FROM_DAYS = 52 * 7

TREATMENT_FUNCTIONS = np.array(
    [100, 101, 110, 120, 130, 140, 160, 300, 301, 320, 330, 340, 400, 410, 430, 502]
)
OPHTHALMOLOGY = 4
_BASE = np.array(
    [0.08, 0.06, 0.13, 0.07, 0.10, 0.05, 0.03, 0.03, 0.07, 0.06, 0.06, 0.04, 0.04, 0.03, 0.02, 0.08]
)
_CHILD = np.array(
    [0.06, 0.03, 0.10, 0.20, 0.08, 0.12, 0.04, 0.02, 0.04, 0.02, 0.07, 0.04, 0.03, 0.01, 0.0, 0.02]
)
_OLD_ONLY = TREATMENT_FUNCTIONS == 430
_FEMALE_ONLY = TREATMENT_FUNCTIONS == 502


def _treatment_function_weights() -> npt.NDArray[np.float64]:
    """Weights by (sex, age group): rows 0-4 female, 5-9 male."""
    rows = []
    for sex in (0, 1):
        for group in range(5):
            weights = (_CHILD if group == 0 else _BASE).copy()
            if group < 3:
                weights[_OLD_ONLY] = 0.0
            if group >= 3:
                weights[OPHTHALMOLOGY] *= 2.0
            if sex == 1:
                weights[_FEMALE_ONLY] = 0.0
            rows.append(weights)
    return np.array(rows)


TREATMENT_FUNCTION_WEIGHTS = _treatment_function_weights()


@dataclass(frozen=True)
class Pathways:
    """A block's pathways as parallel arrays, sorted by clock start."""

    patient: IntArray
    provider: IntArray
    treatment_function: IntArray
    clock_start_day: IntArray
    """Days since the start of 2023 (negative before 2023)."""
    clock_stop_day: IntArray
    """Days since the start of 2023; −1 when the clock is still running."""
    status: IntArray
    """Index into ``STATUSES``."""
    days_waited: IntArray

    def __len__(self) -> int:
        return len(self.patient)


def _waits(rng: np.random.Generator, status: IntArray) -> IntArray:
    days = np.rint(MEDIAN_WAIT_DAYS[status] * np.exp(SIGMA[status] * rng.standard_normal(len(status))))
    too_long = days > LONGEST_WAIT_DAYS
    days[too_long] = rng.integers(FOLD_FROM_DAYS, LONGEST_WAIT_DAYS + 1, size=int(too_long.sum()))
    return days.astype(np.int64)


def generate_pathways(rng: np.random.Generator, patients: Patients) -> Pathways:
    """The pathways of one block of patients: open at the census date, or stopped during 2023."""
    group = ref.age_group(age_band_index(patients.age_at(ref.REFERENCE_MONTH)))
    counts = rng.poisson(RATES[:, group])  # status × patient
    status = np.repeat(np.repeat(np.arange(3), len(patients)), counts.ravel())
    patient = np.repeat(np.tile(np.arange(len(patients)), 3), counts.ravel())
    n = len(patient)

    born = patients.birth_day(patient)
    stop = np.where(status == 0, -1, not_before_birth(rng.integers(0, ref.DAYS_IN_YEAR, size=n), born))
    anchor = np.where(status == 0, CENSUS_DAY, stop)
    waited = np.minimum(_waits(rng, status), anchor - born)
    start = anchor - waited

    sex = patients.sex[patient]
    function = categorical(rng, TREATMENT_FUNCTION_WEIGHTS, group[patient] + 5 * sex)
    catchment = patients.acute_provider[patient]
    elsewhere = ref.other_acute_trust(rng, catchment)
    provider = np.where(rng.random(n) < 0.85, catchment, elsewhere)
    eye = (function == OPHTHALMOLOGY) & (rng.random(n) < 0.6)
    provider = np.where(eye, ref.EYE_HOSPITAL, provider)

    order = np.lexsort((patient, start))
    return Pathways(
        patient=patient[order],
        provider=provider[order].astype(np.int64),
        treatment_function=TREATMENT_FUNCTIONS[function][order],
        clock_start_day=start[order],
        clock_stop_day=stop[order],
        status=status[order],
        days_waited=waited[order],
    )
