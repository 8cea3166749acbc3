"""The shared synthetic NHS data: generator, data dictionary and site pages.

``generate`` writes every data set for a seed and a scale; ``ensure_small_data`` keeps a copy of the small scale
(the one exercises and the site use) up to date; ``load_dictionary`` reads the data dictionary.
"""

from college.data.dictionary import DataDictionary, load_dictionary
from college.data.generate import DEFAULT_SEED, Generated, generate
from college.data.scales import Scale
from college.data.small import ensure_small_data
from college.data.writer import Format, read_csv_typed

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
