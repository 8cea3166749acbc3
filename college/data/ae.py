"""Emergency care attendances (ECDS-shaped), generated one block of patients at a time.

Each patient has a yearly attendance rate set by age and deprivation, scaled by a random frailty so that some
people attend often. Each attendance gets an arrival time (more in winter, on Mondays and in the late morning), a
department type, a provider, an arrival mode, an acuity, a discharge destination and a time in the department.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from college.data import reference as ref
from college.data.patients import Patients, age_band_index, not_before_birth
from college.data.sampling import categorical, choice, frailty_counts, lognormal_minutes

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

MINUTES_PER_DAY = 1440

ATTENDANCE_RATE = np.array([
    0.62, 0.30, 0.32, 0.45, 0.50, 0.45, 0.42, 0.38, 0.36, 0.36,
    0.36, 0.37, 0.38, 0.40, 0.45, 0.55, 0.70, 0.90, 1.10,
])  # fmt: skip
"""Attendances per person per year (all department types) by age band, before the deprivation factor."""
FRAILTY_SHAPE = 1.0

DEPARTMENT_TYPES = np.array([1, 2, 3])
"""The types drawn first; some type 3 attendances at the community trust then become type 4 (walk-in centre)."""
WALK_IN_CENTRE = 4
WALK_IN_SHARE_OF_COMMUNITY = 0.3
"""Share of the community trust's type 3 attendances that are at its walk-in centre (type 4)."""
DEPARTMENT_BY_AGE_GROUP = np.array([
    [0.50, 0.02, 0.48], [0.52, 0.03, 0.45], [0.60, 0.04, 0.36], [0.72, 0.04, 0.24], [0.85, 0.02, 0.13],
])  # fmt: skip
"""Share of type 1, 2 and 3 attendances in each broad age group."""

ARRIVAL_MODES = np.array([
    1048031000000100, 1048041000000109, 1048021000000102, 1048051000000107,  # ambulances
    1048071000000103, 1048061000000105, 1048001000000106,  # own transport, public transport, police
])  # fmt: skip
ARRIVAL_MODE_WEIGHTS = np.array([
    [0.905, 0.02, 0.07, 0.005, 0.0, 0.0, 0.0],  # arrived by ambulance
    [0.0, 0.0, 0.0, 0.0, 0.76, 0.22, 0.02],  # did not
])  # fmt: skip
POLICE = 6
AMBULANCE_SHARE_TYPE_1 = np.array([0.12, 0.22, 0.32, 0.50, 0.68])
"""Share of type 1 attendances arriving by ambulance in each broad age group."""
AMBULANCE_SHARE_OTHER = {2: 0.005, 3: 0.02}

ACUITY_CODES = np.array(
    [1064891000000107, 1064911000000105, 1064901000000108, 1077241000000103, 1077251000000100]
)
ACUITY_WEIGHTS = np.array([
    [0.030, 0.30, 0.45, 0.18, 0.040],  # type 1, ambulance
    [0.003, 0.09, 0.38, 0.42, 0.107],  # type 1, other arrivals
    [0.000, 0.02, 0.25, 0.53, 0.200],  # type 2
    [0.000, 0.005, 0.08, 0.57, 0.345],  # type 3
])  # fmt: skip

HOME, WARD, TRANSFER, RESIDENTIAL, NURSING, POLICE_CUSTODY, MORTUARY = (
    306689006, 306706006, 19712007, 306691003, 306694006, 306705005, 305398007,
)  # fmt: skip
ADMISSION_BY_ACUITY = np.array([0.75, 0.50, 0.30, 0.10, 0.04])
"""Share of type 1 attendances admitted to a ward, by acuity level, before the age factor."""
ADMISSION_AGE_FACTOR = np.array([0.5, 0.8, 1.0, 1.4, 1.7])

MEDIAN_MINUTES_TYPE_1 = {"admitted": 320.0, "other": 180.0, "died": 120.0}
ACUITY_TIME_FACTOR = {
    "admitted": np.array([0.8, 1.0, 1.05, 1.1, 1.1]),
    "other": np.array([1.0, 1.1, 1.05, 0.95, 0.8]),
}
PROVIDER_TIME_FACTOR = np.array([0.92, 1.0, 1.12, 1.0, 1.0])
"""Crowding differs between the acute trusts: SYN03 is the busiest."""
MONTH_TIME_FACTOR = np.array([1.12, 1.12, 1.05, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.12])
MEDIAN_MINUTES = {2: 110.0, 3: 75.0}
SIGMA = {1: 0.55, 2: 0.5, 3: 0.6}
LONGEST_STAY_MINUTES = 2 * MINUTES_PER_DAY

DAY_WEIGHTS = ref.day_weights(0.08, (1.12, 1.02, 1.0, 0.99, 0.98, 0.93, 0.96))
DAY_MONTH = (ref.START + np.arange(ref.DAYS_IN_YEAR)).astype("datetime64[M]").astype(np.int64)
"""Month of each day of 2023, counted in months since January 1970."""


@dataclass(frozen=True)
class Attendances:
    """A block's attendances as parallel arrays, sorted by arrival."""

    patient: IntArray
    """Index of the patient within the block."""
    provider: IntArray
    department_type: IntArray
    arrival: IntArray
    """Minutes since the start of 2023."""
    departure: IntArray
    arrival_mode: IntArray
    acuity: IntArray
    discharge_destination: IntArray
    age_band: IntArray
    sex: IntArray

    def __len__(self) -> int:
        return len(self.patient)

    def take(self, rows: IntArray) -> Attendances:
        """The given rows, in the given order."""
        return Attendances(*(getattr(self, name)[rows] for name in self.__dataclass_fields__))


def _arrival_minutes(rng: np.random.Generator, count: int) -> IntArray:
    day = choice(rng, DAY_WEIGHTS, count)
    hour = choice(rng, ref.ARRIVAL_HOUR_WEIGHTS, count)
    return day * MINUTES_PER_DAY + hour * 60 + rng.integers(0, 60, size=count)


def _separate_repeats(patient: IntArray, arrival: IntArray) -> IntArray:
    """Move any second arrival of the same patient in the same minute on by a minute, so no two attendances of
    one patient are identical (real duplicates are planted on purpose later)."""
    arrival = arrival.copy()
    while True:
        order = np.lexsort((arrival, patient))
        repeat = (np.diff(patient[order]) == 0) & (np.diff(arrival[order]) == 0)
        if not repeat.any():
            return arrival
        later = order[1:][repeat]
        end_of_year = ref.DAYS_IN_YEAR * MINUTES_PER_DAY - 1
        arrival[later] = np.where(arrival[later] < end_of_year, arrival[later] + 1, arrival[later] - 1)


def _providers(rng: np.random.Generator, department: IntArray, catchment: IntArray) -> IntArray:
    n = len(department)
    elsewhere = ref.other_acute_trust(rng, catchment)
    type_1 = np.where(rng.random(n) < 0.9, catchment, elsewhere)
    type_3 = np.where(rng.random(n) < 0.5, catchment, ref.COMMUNITY)
    return np.select([department == 1, department == 3], [type_1, type_3], default=ref.EYE_HOSPITAL)


def _destinations(
    rng: np.random.Generator, department: IntArray, acuity: IntArray, group: IntArray, mode_index: IntArray
) -> IntArray:
    n = len(department)
    type_1 = department == 1
    died = np.where(type_1, np.where(acuity == 0, 0.02, 0.0002), 0.0)
    admitted = np.where(
        type_1, np.minimum(ADMISSION_BY_ACUITY[acuity] * ADMISSION_AGE_FACTOR[group], 0.9), 0.0
    )
    admitted = np.where(department == 2, 0.01, admitted)
    transfer = np.where(department == 3, 0.03, 0.01)
    police = np.where(mode_index == POLICE, 0.3, 0.0)
    care_home = np.where(group == 4, 0.04, 0.0)
    thresholds = np.cumsum(np.stack([died, admitted, transfer, police, care_home, care_home], axis=1), axis=1)
    outcome = (rng.random(n)[:, None] >= thresholds).sum(axis=1)
    codes = np.array([MORTUARY, WARD, TRANSFER, POLICE_CUSTODY, RESIDENTIAL, NURSING, HOME])
    return codes[outcome]


def _minutes_in_department(
    rng: np.random.Generator,
    department: IntArray,
    acuity: IntArray,
    provider: IntArray,
    month: IntArray,
    destination: IntArray,
) -> IntArray:
    admitted = destination == WARD
    median = np.where(
        admitted,
        MEDIAN_MINUTES_TYPE_1["admitted"] * ACUITY_TIME_FACTOR["admitted"][acuity],
        MEDIAN_MINUTES_TYPE_1["other"] * ACUITY_TIME_FACTOR["other"][acuity],
    )
    median = np.where(destination == MORTUARY, MEDIAN_MINUTES_TYPE_1["died"], median)
    median = median * PROVIDER_TIME_FACTOR[provider] * MONTH_TIME_FACTOR[month]
    median = np.select(
        [department == 2, department == 3], [MEDIAN_MINUTES[2], MEDIAN_MINUTES[3]], default=median
    )
    sigma = np.select([department == 2, department == 3], [SIGMA[2], SIGMA[3]], default=SIGMA[1])
    minutes = np.rint(lognormal_minutes(rng, median, sigma)).astype(np.int64)
    return np.clip(minutes, 5, LONGEST_STAY_MINUTES)


def generate_attendances(rng: np.random.Generator, patients: Patients) -> Attendances:
    """The attendances of one block of patients during 2023, sorted by arrival time."""
    mid_year_band = age_band_index(patients.age_at(ref.REFERENCE_MONTH))
    rate = ATTENDANCE_RATE[mid_year_band] * ref.deprivation_factor(patients.deprivation_decile, 1.35, 0.80)
    counts = frailty_counts(rng, rate, FRAILTY_SHAPE)
    patient = np.repeat(np.arange(len(patients), dtype=np.int64), counts)
    n = len(patient)

    arrival = _arrival_minutes(rng, n)
    born = patients.birth_day(patient)
    day = arrival // MINUTES_PER_DAY
    arrival += (not_before_birth(day, born) - day) * MINUTES_PER_DAY
    arrival = _separate_repeats(patient, arrival)
    arrival_day = np.minimum(arrival // MINUTES_PER_DAY, ref.DAYS_IN_YEAR - 1)
    age = patients.age_at(DAY_MONTH[arrival_day], patient)
    band = age_band_index(age)
    group = ref.age_group(band)

    department = DEPARTMENT_TYPES[categorical(rng, DEPARTMENT_BY_AGE_GROUP, group)]
    provider = _providers(rng, department, patients.acute_provider[patient])
    ambulance_share = np.select(
        [department == 1, department == 2], [AMBULANCE_SHARE_TYPE_1[group], AMBULANCE_SHARE_OTHER[2]],
        default=AMBULANCE_SHARE_OTHER[3],
    )  # fmt: skip
    by_ambulance = rng.random(n) < ambulance_share
    mode_index = categorical(rng, ARRIVAL_MODE_WEIGHTS, np.where(by_ambulance, 0, 1))
    acuity_group = np.select([department == 2, department == 3], [2, 3], default=np.where(by_ambulance, 0, 1))
    acuity = categorical(rng, ACUITY_WEIGHTS, acuity_group)
    destination = _destinations(rng, department, acuity, group, mode_index)
    month = (DAY_MONTH[arrival_day] - DAY_MONTH[0]).astype(np.int64)
    departure = arrival + _minutes_in_department(rng, department, acuity, provider, month, destination)
    # Walk-in centres see the same patients as minor injury units, so they are relabelled last: every other
    # field, and every earlier draw, is unchanged.
    walk_in = (department == 3) & (provider == ref.COMMUNITY) & (rng.random(n) < WALK_IN_SHARE_OF_COMMUNITY)
    department = np.where(walk_in, WALK_IN_CENTRE, department)

    attendances = Attendances(
        patient=patient,
        provider=provider.astype(np.int64),
        department_type=department.astype(np.int64),
        arrival=arrival,
        departure=departure,
        arrival_mode=ARRIVAL_MODES[mode_index],
        acuity=ACUITY_CODES[acuity],
        discharge_destination=destination,
        age_band=band,
        sex=patients.sex[patient],
    )
    return attendances.take(np.lexsort((patient, arrival)))
