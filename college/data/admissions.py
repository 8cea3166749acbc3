"""Admitted patient care spells, generated one block of patients at a time.

Three routes into hospital: admission from a type 1 emergency department (every attendance that ended on a ward
becomes an emergency spell with admission method 21, on the day of departure), other emergency admissions, and
elective admissions (mostly day cases). Each spell takes a case from a small case mix that fixes its diagnosis,
procedure, usual length of stay and risk of death.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from college.data import reference as ref
from college.data.ae import DAY_MONTH, MINUTES_PER_DAY, WARD, Attendances
from college.data.patients import Patients, age_band_index, not_before_birth
from college.data.sampling import categorical, choice

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class EmergencyCase(NamedTuple):
    diagnosis: str
    procedure: str
    mean_stay: float
    """Mean length of stay in days."""
    same_day: float
    """Share discharged on the day of admission."""
    mortality: float
    weights: tuple[float, float, float, float, float]
    """Relative frequency in the age groups under 18, 18-44, 45-64, 65-79 and 80+."""


class ElectiveCase(NamedTuple):
    diagnosis: str
    procedure: str
    day_case: float
    """Share treated as a day case."""
    mean_stay: float
    """Mean length of stay in days when not a day case."""
    weights: tuple[float, float, float, float, float]
    female_only: bool = False


EMERGENCY_CASES = (
    EmergencyCase("R07.4", "", 1.0, 0.45, 0.0, (0.02, 0.15, 0.20, 0.12, 0.06)),
    EmergencyCase("R10.4", "", 1.5, 0.35, 0.0, (0.20, 0.20, 0.12, 0.07, 0.04)),
    EmergencyCase("J18.9", "", 8.0, 0.05, 0.06, (0.12, 0.04, 0.07, 0.12, 0.16)),
    EmergencyCase("J44.1", "", 5.5, 0.05, 0.03, (0.0, 0.0, 0.08, 0.12, 0.09)),
    EmergencyCase("N39.0", "", 6.5, 0.05, 0.02, (0.05, 0.04, 0.04, 0.08, 0.12)),
    EmergencyCase("I50.9", "", 10.0, 0.02, 0.07, (0.0, 0.0, 0.03, 0.08, 0.11)),
    EmergencyCase("I21.9", "", 5.0, 0.02, 0.06, (0.0, 0.01, 0.06, 0.06, 0.04)),
    EmergencyCase("I63.9", "", 15.0, 0.02, 0.10, (0.0, 0.01, 0.04, 0.07, 0.08)),
    EmergencyCase("S72.0", "W46.1", 16.0, 0.0, 0.06, (0.0, 0.0, 0.005, 0.03, 0.09)),
    EmergencyCase("L03.1", "", 4.5, 0.08, 0.005, (0.05, 0.08, 0.08, 0.06, 0.05)),
    EmergencyCase("A41.9", "", 10.0, 0.02, 0.12, (0.04, 0.03, 0.05, 0.07, 0.08)),
    EmergencyCase("K35.8", "H01.2", 3.0, 0.02, 0.001, (0.20, 0.15, 0.04, 0.01, 0.005)),
    EmergencyCase("K92.2", "", 4.5, 0.10, 0.04, (0.01, 0.03, 0.06, 0.06, 0.05)),
    EmergencyCase("I48.9", "", 3.0, 0.15, 0.01, (0.0, 0.02, 0.06, 0.06, 0.05)),
    EmergencyCase("J45.9", "", 2.0, 0.20, 0.002, (0.20, 0.07, 0.03, 0.01, 0.005)),
    EmergencyCase("F10.0", "", 1.0, 0.50, 0.001, (0.02, 0.12, 0.06, 0.02, 0.005)),
    EmergencyCase("N20.0", "", 2.0, 0.30, 0.0, (0.01, 0.05, 0.05, 0.03, 0.01)),
)

ELECTIVE_CASES = (
    ElectiveCase("H25.9", "C75.1", 0.99, 1.0, (0.0, 0.005, 0.08, 0.25, 0.28)),
    ElectiveCase("K21.9", "G45.1", 0.97, 1.0, (0.05, 0.20, 0.20, 0.12, 0.10)),
    ElectiveCase("K63.5", "H22.1", 0.96, 1.0, (0.01, 0.10, 0.25, 0.20, 0.12)),
    ElectiveCase("K40.9", "T20.2", 0.75, 1.5, (0.10, 0.15, 0.12, 0.08, 0.04)),
    ElectiveCase("K80.2", "J18.3", 0.60, 2.0, (0.02, 0.20, 0.12, 0.06, 0.02)),
    ElectiveCase("K57.3", "H22.1", 0.95, 1.0, (0.0, 0.03, 0.08, 0.08, 0.07)),
    ElectiveCase("M16.1", "W37.1", 0.02, 3.5, (0.0, 0.01, 0.05, 0.09, 0.08)),
    ElectiveCase("M17.1", "W40.1", 0.02, 3.5, (0.0, 0.01, 0.06, 0.10, 0.06)),
    ElectiveCase("D25.9", "Q07.4", 0.0, 2.5, (0.0, 0.05, 0.02, 0.0, 0.0), female_only=True),
    ElectiveCase("I25.1", "K40.1", 0.0, 8.0, (0.0, 0.003, 0.02, 0.02, 0.005)),
)

OTHER_EMERGENCY_RATE = np.array([0.015, 0.018, 0.027, 0.052, 0.105])
"""Emergency admissions a year per person not through the provider's own emergency department, by age group."""
OTHER_EMERGENCY_METHODS = (("22", 0.40), ("23", 0.05), ("24", 0.15), ("2A", 0.10), ("2B", 0.10), ("2D", 0.20))
ELECTIVE_RATE = np.array([0.03, 0.06, 0.13, 0.25, 0.25])
"""Elective admissions a year per person, by age group."""
ELECTIVE_METHODS = (("11", 0.80), ("12", 0.15), ("13", 0.05))
STAY_AGE_FACTOR = np.array([0.7, 1.0, 1.25, 1.5, 1.8])
MORTALITY_AGE_FACTOR = np.array([0.1, 0.3, 0.7, 1.0, 1.6])
ELECTIVE_MORTALITY = 0.001
LONGEST_STAY = 365
WEEKDAYS = np.flatnonzero((np.arange(ref.DAYS_IN_YEAR) + ref.START.astype(object).weekday()) % 7 < 5)
"""Days of 2023 from Monday to Friday, when elective admissions happen."""
EMERGENCY_DAY_WEIGHTS = ref.day_weights(0.06, (1.06, 1.02, 1.0, 1.0, 1.02, 0.94, 0.96))


@dataclass(frozen=True)
class Spells:
    """A block's spells as parallel arrays, sorted by admission date."""

    patient: IntArray
    provider: IntArray
    admission_day: IntArray
    """Days since the start of 2023."""
    length_of_stay: IntArray
    admission_method: npt.NDArray[np.str_]
    patient_classification: IntArray
    diagnosis: npt.NDArray[np.str_]
    procedure: npt.NDArray[np.str_]
    """'' when there was no procedure."""
    discharge_method: IntArray
    discharge_destination: IntArray
    age_band: IntArray
    sex: IntArray

    def __len__(self) -> int:
        return len(self.patient)


class _Routes(NamedTuple):
    patient: IntArray
    provider: IntArray
    day: IntArray
    method: npt.NDArray[np.str_]


def _method_draw(
    rng: np.random.Generator, methods: tuple[tuple[str, float], ...], size: int
) -> npt.NDArray[np.str_]:
    codes = np.array([code for code, _ in methods])
    return codes[choice(rng, [weight for _, weight in methods], size)]


def _routes(
    rng: np.random.Generator, patients: Patients, attendances: Attendances
) -> tuple[_Routes, _Routes]:
    """Who is admitted, where and when: emergency spells (from A&E and otherwise) and elective spells."""
    departure_day = attendances.departure // MINUTES_PER_DAY
    # Admissions on 1 January 2024 belong to next year's extract.
    from_ae = np.flatnonzero((attendances.discharge_destination == WARD) & (departure_day < ref.DAYS_IN_YEAR))
    n_patients = len(patients)
    group = ref.age_group(age_band_index(patients.age_at(ref.REFERENCE_MONTH)))
    deprivation = ref.deprivation_factor(patients.deprivation_decile, 1.3, 0.8)

    other = np.repeat(np.arange(n_patients), rng.poisson(OTHER_EMERGENCY_RATE[group] * deprivation))
    emergency = _Routes(
        patient=np.concatenate([attendances.patient[from_ae], other]),
        provider=np.concatenate([attendances.provider[from_ae], patients.acute_provider[other]]),
        day=np.concatenate(
            [
                departure_day[from_ae],
                not_before_birth(choice(rng, EMERGENCY_DAY_WEIGHTS, len(other)), patients.birth_day(other)),
            ]
        ),
        method=np.concatenate(
            [np.full(len(from_ae), "21"), _method_draw(rng, OTHER_EMERGENCY_METHODS, len(other))]
        ),
    )
    elective_patient = np.repeat(
        np.arange(n_patients),
        rng.poisson(ELECTIVE_RATE[group] * ref.deprivation_factor(patients.deprivation_decile, 1.1, 0.95)),
    )
    catchment = patients.acute_provider[elective_patient]
    elsewhere = ref.other_acute_trust(rng, catchment)
    elective = _Routes(
        patient=elective_patient,
        provider=np.where(rng.random(len(catchment)) < 0.85, catchment, elsewhere),
        day=_weekday_after_birth(
            WEEKDAYS[rng.integers(0, len(WEEKDAYS), size=len(elective_patient))],
            patients.birth_day(elective_patient),
        ),
        method=_method_draw(rng, ELECTIVE_METHODS, len(elective_patient)),
    )
    return emergency, elective


def _weekday_after_birth(day: IntArray, birth_day: IntArray) -> IntArray:
    """Elective days moved after the patient's birth, then on to the next weekday if they land on a weekend."""
    moved = not_before_birth(day, birth_day)
    position = np.minimum(np.searchsorted(WEEKDAYS, moved), len(WEEKDAYS) - 1)
    return WEEKDAYS[position]


def _stay(rng: np.random.Generator, mean: FloatArray, same_day: FloatArray) -> IntArray:
    """Lengths of stay: 0 with probability ``same_day``, otherwise at least a day, gamma-distributed with the
    right overall mean."""
    mean_if_staying = np.maximum(mean / np.maximum(1.0 - same_day, 1e-9), 1.0)
    shape = 1.4
    stay = np.maximum(1, np.rint(rng.gamma(shape, mean_if_staying / shape)).astype(np.int64))
    return np.where(rng.random(len(mean)) < same_day, 0, np.minimum(stay, LONGEST_STAY))


def _discharge(
    rng: np.random.Generator, died: npt.NDArray[np.bool_], group: IntArray, emergency: bool
) -> tuple[IntArray, IntArray]:
    """Discharge method and destination codes."""
    n = len(died)
    self_discharge = rng.random(n) < (0.01 if emergency else 0.002)
    method = np.where(died, 4, np.where(self_discharge, 2, 1))
    codes = np.array([51, 29, 87, 54, 85, 65, 88, 19])
    old = (group == 4) if emergency else np.zeros(n, dtype=bool)
    weights = np.where(
        old[:, None],
        np.array([0.02, 0.005, 0.005, 0.01, 0.06, 0.02, 0.005, 0.875]),
        np.array([0.02, 0.01, 0.005, 0.0, 0.0, 0.0, 0.0, 0.965]),
    )
    destination = codes[(rng.random(n)[:, None] >= np.cumsum(weights, axis=1)[:, :-1]).sum(axis=1)]
    return method.astype(np.int64), np.where(died, 79, destination).astype(np.int64)


def generate_spells(rng: np.random.Generator, patients: Patients, attendances: Attendances) -> Spells:
    """The spells of one block of patients admitted during 2023, sorted by admission date."""
    emergency, elective = _routes(rng, patients, attendances)

    e_band = age_band_index(patients.age_at(DAY_MONTH[emergency.day], emergency.patient))
    e_group = ref.age_group(e_band)
    e_case = categorical(rng, np.array([case.weights for case in EMERGENCY_CASES]).T, e_group)
    e_table = np.array([(case.mean_stay, case.same_day, case.mortality) for case in EMERGENCY_CASES])
    e_stay = _stay(rng, e_table[e_case, 0] * STAY_AGE_FACTOR[e_group], e_table[e_case, 1])
    e_died = rng.random(len(e_case)) < np.minimum(e_table[e_case, 2] * MORTALITY_AGE_FACTOR[e_group], 0.5)
    e_method, e_destination = _discharge(rng, e_died, e_group, emergency=True)

    l_band = age_band_index(patients.age_at(DAY_MONTH[elective.day], elective.patient))
    l_group = ref.age_group(l_band)
    l_sex = patients.sex[elective.patient]
    weights = np.array([case.weights for case in ELECTIVE_CASES]).T  # group × case
    female_only = np.array([case.female_only for case in ELECTIVE_CASES])
    by_group_and_sex = np.concatenate(
        [weights, np.where(female_only, 0.0, weights)]
    )  # female rows, then male
    l_case = categorical(rng, by_group_and_sex, l_group + len(weights) * l_sex)
    day_case = rng.random(len(l_case)) < np.array([case.day_case for case in ELECTIVE_CASES])[l_case]
    mean_stay = np.array([case.mean_stay for case in ELECTIVE_CASES])[l_case] * STAY_AGE_FACTOR[l_group]
    l_stay = np.where(day_case, 0, _stay(rng, mean_stay, np.zeros(len(l_case))))
    l_died = rng.random(len(l_case)) < np.where(day_case, 0.0, ELECTIVE_MORTALITY)
    l_method, l_destination = _discharge(rng, l_died, l_group, emergency=False)
    cataract = np.array([case.procedure == "C75.1" for case in ELECTIVE_CASES])[l_case]
    l_provider = np.where(cataract & (rng.random(len(l_case)) < 0.8), ref.EYE_HOSPITAL, elective.provider)

    patient = np.concatenate([emergency.patient, elective.patient])
    admission_day = np.concatenate([emergency.day, elective.day])
    order = np.lexsort((patient, admission_day))
    return Spells(
        patient=patient[order],
        provider=np.concatenate([emergency.provider, l_provider])[order],
        admission_day=admission_day[order],
        length_of_stay=np.concatenate([e_stay, l_stay])[order],
        admission_method=np.concatenate([emergency.method, elective.method])[order],
        patient_classification=np.concatenate([np.ones(len(e_case), np.int64), np.where(day_case, 2, 1)])[
            order
        ],
        diagnosis=np.concatenate(
            [
                np.array([case.diagnosis for case in EMERGENCY_CASES])[e_case],
                np.array([case.diagnosis for case in ELECTIVE_CASES])[l_case],
            ]
        )[order],
        procedure=np.concatenate(
            [
                np.array([case.procedure for case in EMERGENCY_CASES])[e_case],
                np.array([case.procedure for case in ELECTIVE_CASES])[l_case],
            ]
        )[order],
        discharge_method=np.concatenate([e_method, l_method])[order],
        discharge_destination=np.concatenate([e_destination, l_destination])[order],
        age_band=np.concatenate([e_band, l_band])[order],
        sex=patients.sex[patient][order],
    )
