"""The 2013 European Standard Population (ESP 2013), in the 19 bands that English public health statistics use.

Source: Eurostat (2013), *Revision of the European Standard Population: report of Eurostat's task force*,
2013 edition, Publications Office of the European Union (product code KS-RA-13-028, doi:10.2785/11470),
https://ec.europa.eu/eurostat/en/web/products-manuals-and-guidelines/-/KS-RA-13-028 .

The standard as Eurostat publishes it has finer bands at both ends: under 1 and 1-4 at the start, 90-94 and
95 and over at the end, with five-year bands between (21 groups, summing to 100,000). The OHID Fingertips
technical guidance and ONS combine the end bands into 0-4 and 90+, giving the 19 bands (0-4, 5-9, ..., 85-89,
90+) used here; :data:`ESP2013_PUBLISHED` keeps the published form, and its end bands add up to these.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_WEIGHTS = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

ESP2013_BANDS: tuple[str, ...] = (*(f"{low}-{low + 4}" for low in range(0, 90, 5)), "90+")
"""The 19 band labels in order: "0-4", "5-9", ..., "85-89", "90+" (Fingertips' form of the standard)."""

ESP2013_PUBLISHED: Mapping[str, int] = MappingProxyType(
    {
        "0": 1000,
        "1-4": 4000,
        **{band: weight for band, weight in zip(ESP2013_BANDS[1:-1], _WEIGHTS[1:-1], strict=True)},
        "90-94": 800,
        "95+": 200,
    }
)
"""The standard in Eurostat's published form: 21 groups, with under 1, 1-4, 90-94 and 95+ at the ends."""

EUROPEAN_STANDARD_POPULATION_2013: Mapping[str, int] = MappingProxyType(
    dict(zip(ESP2013_BANDS, _WEIGHTS, strict=True))
)
"""Read-only, ordered mapping from band label to standard population (the weights sum to 100,000)."""


def esp2013_band(age: int) -> str:
    """The ESP 2013 band label for an age in completed years (0 or more): 37 -> "35-39", 93 -> "90+".

    Raises:
        ValueError: the age is negative or not a whole number.
    """
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError(f"age must be a whole number of years; got {age!r}")
    if age < 0:
        raise ValueError(f"age must not be negative; got {age}")
    return ESP2013_BANDS[min(age // 5, len(ESP2013_BANDS) - 1)]
