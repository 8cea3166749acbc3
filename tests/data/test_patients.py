"""No real person: NHS numbers from the test range only, valid and unique; and the data sets fit together."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from college.data.activity import generate_activity
from college.data.nhs_numbers import DOMAIN, UNIQUE_PATIENTS, _permute, synthetic_nhs_numbers
from college.data.patients import build_patients
from college.data.population import build_geography, build_population
from college.data.scales import BLOCK_SIZE, SCALES, Scale, ScaleSpec
from college.validity import invalid_nhs_numbers, nhs_number_is_valid, nhs_numbers_outside_test_range

RECORD_LEVEL = ("patients", "ae_attendances", "admissions", "rtt_pathways")


@pytest.mark.parametrize("name", RECORD_LEVEL)
def test_every_nhs_number_is_in_the_test_range(small_tables: dict[str, pd.DataFrame], name: str) -> None:
    assert nhs_numbers_outside_test_range(small_tables[name]).empty
    assert small_tables[name]["nhs_number"].str.fullmatch(r"999\d{7}").all()


@pytest.mark.parametrize("name", ["patients", "admissions", "rtt_pathways"])
def test_every_nhs_number_passes_modulus_11(small_tables: dict[str, pd.DataFrame], name: str) -> None:
    assert invalid_nhs_numbers(small_tables[name]).empty


def test_patients_are_unique_and_activity_links_to_them(small_tables: dict[str, pd.DataFrame]) -> None:
    patients = set(small_tables["patients"]["nhs_number"])
    assert len(patients) == len(small_tables["patients"])
    for name in ("admissions", "rtt_pathways"):
        assert set(small_tables[name]["nhs_number"]) <= patients, name
    attendances = small_tables["ae_attendances"]
    unknown = set(attendances["nhs_number"]) - patients
    bad = small_tables["ae_attendances_quality"]
    assert unknown == set(attendances.loc[attendances["attendance_id"].isin(
        bad.loc[bad["problem"] == "invalid_nhs_number", "attendance_id"]), "nhs_number"])  # fmt: skip


def test_the_numbering_is_a_permutation_of_the_test_range() -> None:
    keys = np.array([1, 2, 3, 4], dtype=np.uint64)
    assert np.array_equal(np.sort(_permute(np.arange(DOMAIN), keys)), np.arange(DOMAIN))


def test_numbers_are_the_same_for_a_patient_at_every_scale() -> None:
    few, many = synthetic_nhs_numbers(2022, 1_000), synthetic_nhs_numbers(2022, 50_000)
    assert np.array_equal(few, many[:1_000])
    assert all(nhs_number_is_valid(int(number)) for number in many[:2_000])


def test_beyond_the_test_range_numbers_repeat_rather_than_leave_it() -> None:
    numbers = synthetic_nhs_numbers(2022, UNIQUE_PATIENTS + 10)
    assert len(np.unique(numbers[:UNIQUE_PATIENTS])) == UNIQUE_PATIENTS
    assert np.array_equal(numbers[UNIQUE_PATIENTS:], numbers[:10])
    assert numbers.min() >= 9_990_000_000 and numbers.max() <= 9_999_999_999


def test_small_scale_is_exactly_the_first_blocks_of_medium() -> None:
    small, medium = SCALES[Scale.SMALL], SCALES[Scale.MEDIUM]
    geography = build_geography(small, 2022)
    cells = build_population(small, 2022, geography)
    few = build_patients(small, 2022, cells, geography)
    many = build_patients(medium, 2022, cells, geography)
    for name in few.__dataclass_fields__:
        assert np.array_equal(getattr(few, name), getattr(many, name)[: small.patients]), name
    one_block = ScaleSpec(
        Scale.SMALL, registered_population=900_000, areas=600, practices=100, patients=BLOCK_SIZE
    )
    first = generate_activity(2022, one_block, few)
    both = generate_activity(2022, small, few)
    in_first = both.attendance_block == 0
    assert np.array_equal(first.attendances.sequence, both.attendances.sequence[in_first])
    assert np.array_equal(
        first.attendances.attendances.arrival, both.attendances.attendances.arrival[in_first]
    )
    assert np.array_equal(first.spells.diagnosis, both.spells.diagnosis[both.spell_block == 0])


def test_population_is_whole_and_patients_are_a_sample_of_it(small_tables: dict[str, pd.DataFrame]) -> None:
    population = small_tables["population"]
    assert population["registered_population"].sum() == SCALES[Scale.SMALL].registered_population
    patients = small_tables["patients"]
    assert len(patients) == SCALES[Scale.SMALL].patients
    shares = patients.groupby("age_band").size() / len(patients)
    expected = (
        population.groupby("age_band")["registered_population"].sum()
        / population["registered_population"].sum()
    )
    assert (shares - expected).abs().max() < 0.01
    known = set(zip(population["practice_code"], population["area_code"], strict=True))
    assert set(zip(patients["practice_code"], patients["area_code"], strict=True)) <= known


def test_ages_agree_with_months_of_birth(small_tables: dict[str, pd.DataFrame]) -> None:
    patients = small_tables["patients"]
    born = pd.to_datetime(patients["birth_year_month"] + "-01")
    months = (2023 - born.dt.year) * 12 + (7 - born.dt.month)
    assert (months // 12 == patients["age"]).all()
    assert (patients["age"].clip(upper=94) // 5 == patients["age_band"].map(_band_start) // 5).all()


def _band_start(band: str) -> int:
    return int(band.rstrip("+").split("-")[0])


def test_no_activity_happens_before_birth(small_tables: dict[str, pd.DataFrame]) -> None:
    born = small_tables["patients"].set_index("nhs_number")["birth_year_month"]
    for name, column in (("admissions", "admission_date"), ("rtt_pathways", "clock_start_date")):
        table = small_tables[name]
        birth = pd.to_datetime(table["nhs_number"].map(born) + "-01")
        assert (table[column] >= birth).all(), name


def test_admitted_attendances_have_an_admission(small_tables: dict[str, pd.DataFrame]) -> None:
    attendances = small_tables["ae_attendances"]
    bad = set(small_tables["ae_attendances_quality"]["attendance_id"])
    admitted = attendances[(attendances["discharge_destination"] == 306706006) & ~attendances["attendance_id"].isin(bad)
                           & (attendances["departure_datetime"] < "2024-01-01")]  # fmt: skip
    spells = small_tables["admissions"]
    via_ae = spells[spells["admission_method"] == "21"]
    expected = set(
        zip(
            admitted["nhs_number"],
            admitted["provider_code"],
            admitted["departure_datetime"].dt.normalize(),
            strict=True,
        )
    )
    actual = set(zip(via_ae["nhs_number"], via_ae["provider_code"], via_ae["admission_date"], strict=True))
    assert expected <= actual
    # The rest come from admitted attendances that were spoiled after their admission was made.
    assert len(actual - expected) <= len(bad)


def test_deaths_use_the_population_as_denominator(small_tables: dict[str, pd.DataFrame]) -> None:
    population = (
        small_tables["population"].groupby(["area_code", "sex", "age_band"])["registered_population"].sum()
    )
    deaths = small_tables["deaths"].set_index(["area_code", "sex", "age_band"])
    assert deaths["population"].sum() == population.sum()
    joined = deaths["population"].to_frame().join(population, how="left").fillna(0)
    assert (joined["population"] == joined["registered_population"]).all()
    assert len(deaths) == 600 * 2 * 19


def test_rtt_waits_follow_from_the_dates(small_tables: dict[str, pd.DataFrame]) -> None:
    pathways = small_tables["rtt_pathways"]
    end = pathways["clock_stop_date"].fillna(pathways["census_date"])
    assert ((end - pathways["clock_start_date"]).dt.days == pathways["days_waited"]).all()
    assert (pathways["weeks_waited"] == pathways["days_waited"] // 7).all()
    incomplete = pathways["pathway_status"] == "incomplete"
    assert pathways.loc[incomplete, "clock_stop_date"].isna().all()
    assert pathways.loc[~incomplete, "clock_stop_date"].notna().all()


def test_lengths_of_stay_follow_from_the_dates(small_tables: dict[str, pd.DataFrame]) -> None:
    spells = small_tables["admissions"]
    assert ((spells["discharge_date"] - spells["admission_date"]).dt.days == spells["length_of_stay"]).all()
    day_cases = spells["patient_classification"] == 2
    assert (spells.loc[day_cases, "length_of_stay"] == 0).all()
    assert spells.loc[day_cases, "admission_method"].str.startswith("1").all()
    died = spells["discharge_method"] == 4
    assert (spells.loc[died, "discharge_destination"] == 79).all()
    assert (spells.loc[~died, "discharge_destination"] != 79).all()
