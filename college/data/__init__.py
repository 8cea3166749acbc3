"""The shared synthetic NHS data: generator, data dictionary and site pages.

``generate`` writes every data set for a seed and a scale; ``ensure_small_data`` keeps a copy of the small scale
(the one exercises and the site use) up to date; ``load_dictionary`` reads the data dictionary;
``read_csv_typed`` reads a data file with the types the dictionary gives its columns.

The names are imported on first use, so that ``college`` commands that do not touch the data start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from college.data.dictionary import DataDictionary, load_dictionary
    from college.data.generator import Generated, generate
    from college.data.scales import DEFAULT_SEED, Scale
    from college.data.small import ensure_small_data
    from college.data.writer import Format, read_csv_typed

_HOMES = {
    "DataDictionary": "college.data.dictionary",
    "load_dictionary": "college.data.dictionary",
    "Generated": "college.data.generator",
    "generate": "college.data.generator",
    "DEFAULT_SEED": "college.data.scales",
    "Scale": "college.data.scales",
    "ensure_small_data": "college.data.small",
    "Format": "college.data.writer",
    "read_csv_typed": "college.data.writer",
}

__all__ = [
    "DEFAULT_SEED",
    "DataDictionary",
    "Format",
    "Generated",
    "Scale",
    "ensure_small_data",
    "generate",
    "load_dictionary",
    "read_csv_typed",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'college.data' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
