"""The data dictionary as a Frictionless Data Package (``datapackage.json``), so standard tools can check the data.

One pure function, :func:`data_package`, turns the dictionary into a Tabular Data Package
(https://specs.frictionlessdata.io/tabular-data-package/): a resource per published CSV file with its Table
Schema (https://specs.frictionlessdata.io/table-schema/): each field's type, meaning and constraints (required,
unique, enum for code lists and value lists, minimum and maximum, pattern). ``generate`` writes it beside the data.

Two things the dictionary says cannot be written in a Table Schema, and tools will not check them: the Modulus 11
check of NHS numbers (the schema holds their pattern, ten digits from the test range) and the order rules between
two columns (such as an arrival before its departure). ``college.validity`` checks both. The answer keys in
``truth/`` are not described: they are not published with the data.
"""

from __future__ import annotations

from typing import Any

from college.data.dictionary import DataDictionary, DatasetSpec, FieldSpec

NAME = "nhs-open-college-synthetic-data"
FILE_NAME = "datapackage.json"
OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
NHS_NUMBER_PATTERN = "999[0-9]{7}"
"""Ten digits from the test range 999 000 0000 to 999 999 9999 (the Modulus 11 check is not expressible)."""
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
"""How date-times are written in the CSV files (Table Schema's default would be ISO 8601 with a T and a Z)."""


def data_package(dictionary: DataDictionary) -> dict[str, Any]:
    """The Tabular Data Package describing every published data set's CSV file."""
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": "Open College for NHS Analysts: synthetic NHS data",
        "description": (
            "Synthetic data sets for training NHS analysts: no real person is in them. Recording errors are "
            "planted on purpose, so a validation finds some; see the data dictionary pages."
        ),
        "licenses": [{"name": "OGL-UK-3.0", "path": OGL, "title": "Open Government Licence v3.0"}],
        "resources": [_resource(spec, dictionary) for spec in _published(dictionary)],
    }


def _published(dictionary: DataDictionary) -> list[DatasetSpec]:
    return [dictionary.dataset(name) for name in dictionary.dataset_names]


def _resource(spec: DatasetSpec, dictionary: DataDictionary) -> dict[str, Any]:
    return {
        "name": spec.name.replace("_", "-"),
        "path": f"{spec.name}.csv",
        "profile": "tabular-data-resource",
        "title": spec.title,
        "description": f"{spec.description} {spec.grain}",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": [_field(field, dictionary) for field in spec.fields], "missingValues": [""]},
    }


def _field(field: FieldSpec, dictionary: DataDictionary) -> dict[str, Any]:
    described: dict[str, Any] = {"name": field.name, "type": field.type, "description": field.meaning}
    if field.type == "datetime":
        described["format"] = DATETIME_FORMAT
    constraints: dict[str, Any] = {"required": not field.nullable}
    if field.unique:
        constraints["unique"] = True
    allowed = field.allowed
    if allowed is not None:
        if allowed.code_list is not None:
            constraints["enum"] = sorted(dictionary.code_list(allowed.code_list).values, key=str)
        if allowed.values is not None:
            constraints["enum"] = list(allowed.values)
        if allowed.minimum is not None:
            constraints["minimum"] = allowed.minimum
        if allowed.maximum is not None:
            constraints["maximum"] = allowed.maximum
        if allowed.pattern is not None:
            constraints["pattern"] = _anchorless(allowed.pattern)
        if allowed.nhs_number:
            constraints["pattern"] = NHS_NUMBER_PATTERN
    described["constraints"] = constraints
    return described


def _anchorless(pattern: str) -> str:
    """Table Schema patterns match the whole value already (XML Schema style): drop ``^`` and ``$``."""
    return pattern.removeprefix("^").removesuffix("$")
