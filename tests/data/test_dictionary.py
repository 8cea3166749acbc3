"""The data dictionary loads, is strict about its shape, and describes the generated files exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from college.data.conformance import column_differences, nonconformities
from college.data.dictionary import (
    CODE_LISTS_FILE,
    DICTIONARY_FILE,
    DictionaryError,
    load_dictionary,
    read_dictionary,
)
from college.data.generator import Generated
from college.data.reference import AGE_BANDS, EUROPEAN_STANDARD_POPULATION_2013
from college.data.writer import read_csv_typed

DICTIONARY = load_dictionary()
EXPECTED_DATASETS = (
    "population", "european_standard_population", "patients", "ae_attendances", "admissions", "rtt_pathways",
    "monthly_indicators", "deaths", "code_lists",
)  # fmt: skip


def test_every_data_set_the_curriculum_links_to_is_documented() -> None:
    assert DICTIONARY.dataset_names == EXPECTED_DATASETS


def test_every_data_set_and_field_is_described() -> None:
    for spec in (*DICTIONARY.datasets, *DICTIONARY.truth_files):
        assert spec.grain.startswith("One row per"), spec.name
        for field in spec.fields:
            assert field.meaning, f"{spec.name}.{field.name}"


@pytest.mark.parametrize("name", EXPECTED_DATASETS)
def test_generated_columns_are_exactly_the_documented_ones(small_dir: Path, name: str) -> None:
    spec = DICTIONARY.dataset(name)
    header = pd.read_csv(small_dir / f"{name}.csv", nrows=0)
    assert column_differences(header, spec) == ([], [])
    assert tuple(pq.read_schema(small_dir / f"{name}.parquet").names) == spec.columns


@pytest.mark.parametrize("name", [name for name in EXPECTED_DATASETS if name != "ae_attendances"])
def test_every_value_is_allowed_by_the_dictionary(small_tables: dict[str, pd.DataFrame], name: str) -> None:
    problems = nonconformities(small_tables[name], DICTIONARY.dataset(name), DICTIONARY)
    assert [str(problem) for problem in problems] == []


def test_attendances_break_the_dictionary_only_in_the_planted_rows(
    small_tables: dict[str, pd.DataFrame],
) -> None:
    attendances = small_tables["ae_attendances"]
    planted = set(small_tables["ae_attendances_quality"]["attendance_id"])
    clean = attendances[~attendances["attendance_id"].isin(planted)]
    assert [str(problem) for problem in nonconformities(clean, DICTIONARY.dataset("ae_attendances"))] == []
    failing = {
        identifier
        for problem in nonconformities(attendances, DICTIONARY.dataset("ae_attendances"))
        for identifier in problem.rows["attendance_id"]
    }
    assert failing and failing <= planted


@pytest.mark.parametrize("name", ["ae_attendances_quality", "monthly_indicators_events"])
def test_answer_keys_match_their_entries(small_tables: dict[str, pd.DataFrame], name: str) -> None:
    problems = nonconformities(small_tables[name], DICTIONARY.dataset(name), DICTIONARY)
    assert [str(problem) for problem in problems] == []


def test_parquet_and_csv_hold_the_same_values(
    small: Generated, small_tables: dict[str, pd.DataFrame]
) -> None:
    for name in EXPECTED_DATASETS:
        from_parquet = pd.read_parquet(small.directory / f"{name}.parquet")
        from_csv = small_tables[name]
        assert len(from_parquet) == len(from_csv), name
        for field in DICTIONARY.dataset(name).fields:
            left = from_parquet[field.name]
            right = from_csv[field.name]
            if field.type in ("date", "datetime"):
                left, right = pd.to_datetime(left), pd.to_datetime(right)
                assert (left.isna() == right.isna()).all() and (left.dropna() == right.dropna()).all(), (
                    field.name
                )
            else:
                assert (
                    left.astype(object).where(left.notna(), None).tolist()
                    == right.astype(object).where(right.notna(), None).tolist()
                ), f"{name}.{field.name}"


def test_the_standard_population_is_eurostats() -> None:
    assert len(AGE_BANDS) == 19 and AGE_BANDS[0] == "0-4" and AGE_BANDS[-1] == "90+"
    assert EUROPEAN_STANDARD_POPULATION_2013 == (
        5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000
    )  # fmt: skip
    assert sum(EUROPEAN_STANDARD_POPULATION_2013) == 100_000


def test_code_lists_table_holds_every_code(small_tables: dict[str, pd.DataFrame]) -> None:
    table = small_tables["code_lists"]
    for code_list in DICTIONARY.code_lists:
        codes = set(table.loc[table["list_id"] == code_list.id, "code"])
        assert codes == {str(entry.code) for entry in code_list.codes}, code_list.id


def _write(tmp_path: Path, dictionary: object, code_lists: object | None = None) -> tuple[Path, Path]:
    dictionary_file, code_lists_file = tmp_path / "dictionary.yml", tmp_path / "code_lists.yml"
    dictionary_file.write_text(yaml.safe_dump(dictionary), encoding="utf-8")
    if code_lists is None:
        code_lists_file.write_text(CODE_LISTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        code_lists_file.write_text(yaml.safe_dump(code_lists), encoding="utf-8")
    return dictionary_file, code_lists_file


def _original() -> dict[str, object]:
    return yaml.safe_load(DICTIONARY_FILE.read_text(encoding="utf-8"))


def test_an_unknown_key_is_an_error_naming_the_file(tmp_path: Path) -> None:
    content = _original()
    content["datasets"][0]["fields"][0]["colour"] = "blue"  # type: ignore[index]
    files = _write(tmp_path, content)
    with pytest.raises(DictionaryError, match=r"dictionary\.yml.*colour"):
        read_dictionary(*files)


def test_an_unknown_code_list_is_an_error(tmp_path: Path) -> None:
    content = _original()
    content["datasets"][3]["fields"][8]["allowed"] = {"code_list": "no_such_list"}  # type: ignore[index]
    files = _write(tmp_path, content)
    with pytest.raises(DictionaryError, match="no_such_list"):
        read_dictionary(*files)


def test_a_code_of_the_wrong_type_is_an_error(tmp_path: Path) -> None:
    code_lists = yaml.safe_load(CODE_LISTS_FILE.read_text(encoding="utf-8"))
    code_lists["code_lists"][0]["codes"].append({"code": 7, "description": "A number in a text list"})
    files = _write(tmp_path, _original(), code_lists)
    with pytest.raises(DictionaryError, match=r"code_lists\.yml.*value_type"):
        read_dictionary(*files)


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"missing\.yml"):
        read_dictionary(tmp_path / "missing.yml", CODE_LISTS_FILE)


def test_invalid_yaml_is_an_error_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "dictionary.yml"
    broken.write_text("datasets: [unclosed", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"dictionary\.yml.*YAML"):
        read_dictionary(broken, CODE_LISTS_FILE)


def test_data_dictionary_links_point_at_the_nhs_data_dictionary() -> None:
    for spec in DICTIONARY.datasets:
        for field in spec.fields:
            if field.nhs_data_dictionary is not None:
                assert str(field.nhs_data_dictionary.url).startswith(
                    "https://www.datadictionary.nhs.uk/data_elements/"
                )


def test_the_small_scale_stays_small(small_dir: Path) -> None:
    csv_bytes = sum(path.stat().st_size for path in small_dir.glob("*.csv"))
    assert csv_bytes < 15 * 1024**2


def test_a_broken_file_is_reported_by_name(tmp_path: Path) -> None:
    broken = tmp_path / "admissions.csv"
    broken.write_text("spell_id,length_of_stay\nSP0000000001,three\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"admissions\.csv"):
        read_csv_typed(broken, DICTIONARY.dataset("admissions"))
    spec = DICTIONARY.dataset("rtt_pathways")
    bad_date = tmp_path / "rtt_pathways.csv"
    bad_date.write_text("pathway_id,clock_start_date\nRTT0000000001,last week\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rtt_pathways\.csv.*clock_start_date"):
        read_csv_typed(bad_date, spec)


def test_missing_and_undocumented_columns_are_reported(small_tables: dict[str, pd.DataFrame]) -> None:
    frame = small_tables["deaths"].drop(columns=["population"]).assign(colour="red")
    problems = {
        (problem.column, problem.check) for problem in nonconformities(frame, DICTIONARY.dataset("deaths"))
    }
    assert ("population", "documented but missing") in problems
    assert ("colour", "present but undocumented") in problems


def test_a_value_outside_its_range_or_list_is_reported(small_tables: dict[str, pd.DataFrame]) -> None:
    frame = small_tables["admissions"].head(5).copy()
    frame.loc[0, "length_of_stay"] = 400
    frame.loc[1, "primary_diagnosis"] = "Z99.9"
    frame.loc[2, "admission_date"] = pd.Timestamp("2022-06-01")
    problems = {
        (problem.column, problem.check, len(problem.rows))
        for problem in nonconformities(frame, DICTIONARY.dataset("admissions"))
    }
    assert ("length_of_stay", "range", 1) in problems
    assert ("primary_diagnosis", "code list icd10_subset", 1) in problems
    assert ("admission_date", "range", 1) in problems
