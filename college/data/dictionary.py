"""The data dictionary as typed, immutable objects: data sets, fields and code lists.

The dictionary is data (``dictionary.yml`` and ``code_lists.yml`` beside this module). This module loads and
checks it: unknown keys, a field pointing at a code list that does not exist or a code of the wrong type are
errors that name the file. Everything else (the site pages, the conformance checks, the generator's tests)
reads the dictionary through :func:`load_dictionary`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self, TypeVar

import yaml
from pydantic import BaseModel, Field, HttpUrl, StringConstraints, ValidationError, model_validator

from college.base import Frozen, Source, Text

PACKAGE_DIR = Path(__file__).resolve().parent
DICTIONARY_FILE = PACKAGE_DIR / "dictionary.yml"
CODE_LISTS_FILE = PACKAGE_DIR / "code_lists.yml"

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
"""Lower-case words joined by underscores: data set, field and code list names."""

FieldType = Literal["string", "integer", "number", "date", "datetime"]
Code = int | str
ModelT = TypeVar("ModelT", bound=BaseModel)


class DictionaryError(Exception):
    """The dictionary files cannot be loaded; the message names the file and what is wrong."""


class CodeEntry(Frozen):
    """One code of a code list and its meaning."""

    code: Code
    description: Text


class CodeList(Frozen):
    """The codes a coded field may hold."""

    id: Name
    title: Text
    description: Text
    value_type: Literal["string", "integer"]
    """Whether the codes are text (``"2A"``) or whole numbers (SNOMED CT concept ids, NHS DD numeric codes)."""
    source: Source | None = None
    codes: tuple[CodeEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_match_type(self) -> Self:
        expected = int if self.value_type == "integer" else str
        wrong = [entry.code for entry in self.codes if type(entry.code) is not expected]
        if wrong:
            raise ValueError(f"code list {self.id}: codes {wrong} are not of value_type {self.value_type}")
        counts = Counter(entry.code for entry in self.codes)
        repeated = sorted(str(code) for code, count in counts.items() if count > 1)
        if repeated:
            raise ValueError(f"code list {self.id}: codes listed more than once: {repeated}")
        return self

    @property
    def values(self) -> frozenset[Code]:
        """The codes alone."""
        return frozenset(entry.code for entry in self.codes)

    def describe(self, code: Code) -> str:
        """The meaning of one code."""
        for entry in self.codes:
            if entry.code == code:
                return entry.description
        raise KeyError(f"{code!r} is not in code list {self.id}")


class DataDictionaryLink(Frozen):
    """The NHS Data Model and Dictionary item a field mirrors (given only where the match is certain)."""

    item: Text
    url: HttpUrl


class Allowed(Frozen):
    """What values a field may hold. Only the constraints given apply."""

    code_list: Name | None = None
    values: tuple[Code, ...] | None = None
    minimum: int | float | str | None = None
    """Smallest value; a string for dates (YYYY-MM-DD) and date-times (YYYY-MM-DD HH:MM:SS)."""
    maximum: int | float | str | None = None
    pattern: str | None = None
    """A regular expression the whole value must match."""
    nhs_number: bool = False
    """Ten digits from the test range 999 000 0000 to 999 999 9999 that pass the Modulus 11 check."""

    @model_validator(mode="after")
    def _pattern_compiles(self) -> Self:
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise ValueError(f"pattern {self.pattern!r} is not a regular expression: {error}") from error
        return self


class FieldSpec(Frozen):
    """One column of a data set."""

    name: Name
    type: FieldType
    meaning: Text
    allowed: Allowed | None = None
    nullable: bool = False
    """Whether the column may be empty."""
    unique: bool = False
    """Whether every value is different."""
    unit: Text | None = None
    nhs_data_dictionary: DataDictionaryLink | None = None
    caveats: Text | None = None
    """How the synthetic column differs from the real thing."""

    @model_validator(mode="after")
    def _bounds_match_type(self) -> Self:
        if self.allowed is None:
            return self
        for bound in (self.allowed.minimum, self.allowed.maximum):
            if bound is None:
                continue
            if self.type in ("date", "datetime"):
                if not isinstance(bound, str):
                    raise ValueError(f"field {self.name}: bounds of a {self.type} must be written as text")
                parse_bound(bound, self.type)
            elif self.type in ("integer", "number") and not isinstance(bound, int | float):
                raise ValueError(f"field {self.name}: bounds of a {self.type} must be numbers")
            elif self.type == "string":
                raise ValueError(f"field {self.name}: a string field cannot have a minimum or maximum")
        return self


class OrderRule(Frozen):
    """Two columns whose values must come in order in every row (for example arrival before departure)."""

    earlier: Name
    later: Name
    description: Text
    allow_equal: bool = False
    """Whether equal values are in order."""


class DatasetSpec(Frozen):
    """One data set: what a row is, and every column."""

    name: Name
    title: Text
    description: Text
    grain: Text
    """What one row is: "One row per …"."""
    coverage: Literal["whole", "sample"]
    """Whether the small scale holds the whole table or a sample of patients."""
    reference_date: dt.date | None = None
    census_date: dt.date | None = None
    period: Text | None = None
    sources: tuple[Source, ...] = ()
    caveats: tuple[Text, ...] = ()
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    rules: tuple[OrderRule, ...] = ()

    @model_validator(mode="after")
    def _names_unique_and_rules_resolve(self) -> Self:
        names = [field.name for field in self.fields]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"data set {self.name}: fields listed more than once: {repeated}")
        for rule in self.rules:
            for column in (rule.earlier, rule.later):
                if column not in names:
                    raise ValueError(f"data set {self.name}: rule names unknown field {column!r}")
        return self

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in file order."""
        return tuple(field.name for field in self.fields)

    def field(self, name: str) -> FieldSpec:
        """One field by name."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"data set {self.name} has no field {name!r}")


class DictionaryFile(Frozen):
    """The shape of ``dictionary.yml``."""

    schema_version: int = Field(ge=1)
    datasets: tuple[DatasetSpec, ...] = Field(min_length=1)
    truth_files: tuple[DatasetSpec, ...] = ()


class CodeListsFile(Frozen):
    """The shape of ``code_lists.yml``."""

    code_lists: tuple[CodeList, ...] = Field(min_length=1)


class DataDictionary(Frozen):
    """The whole dictionary: published data sets, answer-key (truth) files and code lists."""

    schema_version: int
    datasets: tuple[DatasetSpec, ...]
    truth_files: tuple[DatasetSpec, ...]
    code_lists: tuple[CodeList, ...]

    def dataset(self, name: str) -> DatasetSpec:
        """A published data set or a truth file, by name."""
        for spec in (*self.datasets, *self.truth_files):
            if spec.name == name:
                return spec
        raise KeyError(f"the data dictionary has no data set {name!r}")

    def code_list(self, list_id: str) -> CodeList:
        """A code list by id."""
        for code_list in self.code_lists:
            if code_list.id == list_id:
                return code_list
        raise KeyError(f"the data dictionary has no code list {list_id!r}")

    @property
    def dataset_names(self) -> tuple[str, ...]:
        """The published data sets, in dictionary order."""
        return tuple(spec.name for spec in self.datasets)


def parse_bound(text: str, field_type: FieldType) -> dt.date | dt.datetime:
    """Read a date or date-time bound written in the dictionary."""
    try:
        if field_type == "date":
            return dt.date.fromisoformat(text)
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError as error:
        raise ValueError(f"{text!r} is not a {field_type} bound ({error})") from error


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DictionaryError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise DictionaryError(f"{path}: is not valid YAML ({error})") from error


def _validate(model: type[ModelT], data: object, path: Path) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or '(top level)'}: {issue['msg']}"
            for issue in error.errors()
        )
        raise DictionaryError(f"{path}: {problems}") from error


def _check_references(dictionary: DataDictionary, path: Path) -> None:
    """Every code list a field names exists, and its codes suit the field's type."""
    known = {code_list.id: code_list for code_list in dictionary.code_lists}
    for spec in (*dictionary.datasets, *dictionary.truth_files):
        for field in spec.fields:
            if field.allowed is None or field.allowed.code_list is None:
                continue
            code_list = known.get(field.allowed.code_list)
            if code_list is None:
                raise DictionaryError(
                    f"{path}: {spec.name}.{field.name}: unknown code list {field.allowed.code_list!r}"
                )
            if field.type not in ("string", "integer") or code_list.value_type != field.type:
                raise DictionaryError(
                    f"{path}: {spec.name}.{field.name}: a {field.type} field cannot use the "
                    f"{code_list.value_type} code list {code_list.id}"
                )


def read_dictionary(
    dictionary_file: Path = DICTIONARY_FILE, code_lists_file: Path = CODE_LISTS_FILE
) -> DataDictionary:
    """Load and check the two dictionary files, raising :class:`DictionaryError` naming the file at fault."""
    datasets = _validate(DictionaryFile, _read_yaml(dictionary_file), dictionary_file)
    code_lists = _validate(CodeListsFile, _read_yaml(code_lists_file), code_lists_file)
    ids = [code_list.id for code_list in code_lists.code_lists]
    repeated = sorted({list_id for list_id in ids if ids.count(list_id) > 1})
    if repeated:
        raise DictionaryError(f"{code_lists_file}: code lists listed more than once: {repeated}")
    names = [spec.name for spec in (*datasets.datasets, *datasets.truth_files)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DictionaryError(f"{dictionary_file}: data sets listed more than once: {repeated}")
    dictionary = DataDictionary(
        schema_version=datasets.schema_version,
        datasets=datasets.datasets,
        truth_files=datasets.truth_files,
        code_lists=code_lists.code_lists,
    )
    _check_references(dictionary, dictionary_file)
    return dictionary


@cache
def load_dictionary() -> DataDictionary:
    """The project's data dictionary (read once per process)."""
    return read_dictionary()
