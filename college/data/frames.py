"""Turning the generator's parallel arrays into the published tables (pandas DataFrames).

Rows are put in order with NumPy before any text is made: by time, then by identifier. Identifiers are a prefix,
five digits of block number and five of record number within the block, so sorting on (block, record) is
sorting on the identifier.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from college.data import reference as ref
from college.data.activity import Activity
from college.data.patients import Patients
from college.data.planted import PROBLEMS
from college.data.rtt import CENSUS_DAY, STATUSES
from college.data.text import fixed_width, labels

IntArray = npt.NDArray[np.int64]

SEQUENCE_DIGITS = 5


def identifiers(prefix: str, block: IntArray, sequence: IntArray) -> pd.Series:
    """Record identifiers such as AE0000100023 (block 1, record 23)."""
    if len(sequence) and sequence.max() >= 10**SEQUENCE_DIGITS:
        raise ValueError("too many records in one block for the identifier format")
    return fixed_width(block * 10**SEQUENCE_DIGITS + sequence, 2 * SEQUENCE_DIGITS, prefix)


def _minutes(minutes: IntArray) -> npt.NDArray[np.datetime64]:
    return (ref.START.astype("datetime64[m]") + minutes.astype("timedelta64[m]")).astype("datetime64[s]")


def _days(days: IntArray) -> npt.NDArray[np.datetime64]:
    return (ref.START + days.astype("timedelta64[D]")).astype("datetime64[s]")


def _within_block(block: IntArray) -> IntArray:
    """Each record's number within its block (records are grouped by block)."""
    starts = np.flatnonzero(np.r_[True, np.diff(block) != 0])
    return np.arange(len(block)) - np.repeat(starts, np.diff(np.r_[starts, len(block)]))


def _optional_text(values: npt.NDArray[np.str_]) -> pd.Series:
    """Text with '' turned into a missing value."""
    vocabulary, index = np.unique(values, return_inverse=True)
    series = labels(vocabulary.tolist(), index)
    return series.where(series != "")


def attendances_frame(activity: Activity) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ae_attendances data set, sorted by arrival, and its answer key of bad records."""
    spoiled = activity.attendances
    records = spoiled.attendances
    order = np.lexsort((spoiled.sequence, activity.attendance_block, records.arrival))
    block = activity.attendance_block[order]
    frame = pd.DataFrame(
        {
            "attendance_id": identifiers("AE", block, spoiled.sequence[order]),
            "nhs_number": fixed_width(spoiled.nhs_number[order], 10),
            "provider_code": labels(ref.PROVIDERS, records.provider[order]),
            "department_type": records.department_type[order],
            "arrival_datetime": _minutes(records.arrival[order]),
            "departure_datetime": _minutes(records.departure[order]),
            "arrival_mode": records.arrival_mode[order],
            "acuity": records.acuity[order],
            "discharge_destination": records.discharge_destination[order],
            "age_band": labels(ref.AGE_BANDS, records.age_band[order]),
            "sex": labels(ref.SEXES, records.sex[order]),
        }
    )
    key_order = np.lexsort((spoiled.key_sequence, activity.key_block))
    key_block = activity.key_block[key_order]
    copied = spoiled.key_duplicate_of[key_order]
    key = pd.DataFrame(
        {
            "attendance_id": identifiers("AE", key_block, spoiled.key_sequence[key_order]),
            "problem": labels(PROBLEMS, spoiled.key_problem[key_order]),
            "column": _optional_text(spoiled.key_column[key_order]),
            "duplicate_of": identifiers("AE", key_block, np.maximum(copied, 0)).where(copied >= 0),
        }
    )
    return frame, key


def spells_frame(activity: Activity, patients: Patients) -> pd.DataFrame:
    """The admissions data set, sorted by admission date."""
    spells = activity.spells
    sequence = _within_block(activity.spell_block)
    order = np.lexsort((sequence, activity.spell_block, spells.admission_day))
    admitted = spells.admission_day[order]
    return pd.DataFrame(
        {
            "spell_id": identifiers("SP", activity.spell_block[order], sequence[order]),
            "nhs_number": fixed_width(patients.nhs_number[spells.patient[order]], 10),
            "provider_code": labels(ref.PROVIDERS, spells.provider[order]),
            "admission_date": _days(admitted),
            "discharge_date": _days(admitted + spells.length_of_stay[order]),
            "admission_method": _optional_text(spells.admission_method[order]),
            "patient_classification": spells.patient_classification[order],
            "primary_diagnosis": _optional_text(spells.diagnosis[order]),
            "main_procedure": _optional_text(spells.procedure[order]),
            "length_of_stay": spells.length_of_stay[order],
            "discharge_method": spells.discharge_method[order],
            "discharge_destination": spells.discharge_destination[order],
            "age_band": labels(ref.AGE_BANDS, spells.age_band[order]),
            "sex": labels(ref.SEXES, spells.sex[order]),
        }
    )


def pathways_frame(activity: Activity, patients: Patients) -> pd.DataFrame:
    """The rtt_pathways data set, sorted by clock start."""
    pathways = activity.pathways
    sequence = _within_block(activity.pathway_block)
    order = np.lexsort((sequence, activity.pathway_block, pathways.clock_start_day))
    stopped = pathways.clock_stop_day[order]
    stop = _days(np.maximum(stopped, 0))
    stop[stopped < 0] = np.datetime64("NaT")
    waited = pathways.days_waited[order]
    return pd.DataFrame(
        {
            "pathway_id": identifiers("RTT", activity.pathway_block[order], sequence[order]),
            "nhs_number": fixed_width(patients.nhs_number[pathways.patient[order]], 10),
            "provider_code": labels(ref.PROVIDERS, pathways.provider[order]),
            "treatment_function": pathways.treatment_function[order],
            "clock_start_date": _days(pathways.clock_start_day[order]),
            "clock_stop_date": stop,
            "census_date": _days(np.full(len(order), CENSUS_DAY, dtype=np.int64)),
            "pathway_status": labels(STATUSES, pathways.status[order]),
            "days_waited": waited,
            "weeks_waited": waited // 7,
        }
    )
