"""Emergency readmissions within 30 days of discharge, counted as the national indicators count the window.

Sources
-------
- NHS Digital, *CCG Outcomes Indicator Set 3.2: Emergency readmissions within 30 days of discharge from
  hospital*, specification: the numerator counts emergency admissions "within 0-29 days (inclusive)" of the
  last, previous discharge from hospital.
  https://digital.nhs.uk/data-and-information/publications/statistical/ccg-outcomes-indicator-set/specifications/3.2-emergency-readmissions-within-30-days-of-discharge-from-hospital_1_4
- NHS Digital, *Compendium: emergency readmissions within 30 days of discharge from hospital (I02040)*,
  specification v3: the same measure for the compendium.
  https://digital.nhs.uk/data-and-information/publications/statistical/compendium-emergency-readmissions/current/specifications/emergency-readmissions-within-30-days-of-discharge-from-hospital_3

How this module counts
----------------------
- The gap is the admission date of the next spell minus the discharge date of this one, in whole days. A
  return on the day of discharge is 0 days. "Within 30 days" is **0 to 29 days inclusive**: 30 days after
  discharge is outside the window.
- Each spell is compared with the patient's *next* spell, in order of admission date and then spell id (a
  tie-breaker, so that the answer never depends on row order). It is a readmission if that next spell is an
  emergency admission (ADMISSION METHOD CODE starting with 2) within the window.
- This is the simplified measure taught in the SQL module: the national indicators also exclude some
  conditions (cancer, obstetrics), restrict specialties and standardise by age, sex and case mix, none of which
  is done here.
"""

from __future__ import annotations

import pandas as pd

WINDOW_DAYS = 29
"""The last day of the window: a readmission is 0 to 29 days inclusive after discharge."""


def readmitted_within_30_days(
    spells: pd.DataFrame,
    *,
    patient_column: str = "nhs_number",
    spell_column: str = "spell_id",
    admission_column: str = "admission_date",
    discharge_column: str = "discharge_date",
    method_column: str = "admission_method",
) -> pd.Series:
    """For each spell, whether the patient's next spell is an emergency admission 0 to 29 days after discharge.

    Returns:
        A boolean Series on the index of ``spells``.
    """
    frame = spells.assign(
        _admitted=pd.to_datetime(spells[admission_column]),
        _discharged=pd.to_datetime(spells[discharge_column]),
        _method=spells[method_column].astype("string"),
    ).sort_values([patient_column, "_admitted", spell_column])
    by_patient = frame.groupby(patient_column, sort=False)
    next_admitted = by_patient["_admitted"].shift(-1)
    next_method = by_patient["_method"].shift(-1)
    gap = (next_admitted - frame["_discharged"]).dt.days
    emergency = next_method.str.startswith("2").fillna(False).astype(bool)
    flag = emergency & gap.between(0, WINDOW_DAYS)
    return flag.reindex(spells.index)


def readmissions_by_provider(
    spells: pd.DataFrame, *, discharged_by: str, provider_column: str = "provider_code"
) -> pd.DataFrame:
    """Discharges up to ``discharged_by`` and their readmissions within 0 to 29 days, by provider of the first spell.

    Returns:
        One row per provider (sorted), with columns ``provider_code``, ``discharges`` and ``readmissions``.
    """
    flags = readmitted_within_30_days(spells)
    counted = pd.to_datetime(spells["discharge_date"]) <= pd.Timestamp(discharged_by)
    table = (
        spells[counted]
        .assign(readmitted=flags[counted].astype(int))
        .groupby(provider_column, as_index=False)
        .agg(discharges=("readmitted", "size"), readmissions=("readmitted", "sum"))
        .sort_values(provider_column, ignore_index=True)
    )
    return table
